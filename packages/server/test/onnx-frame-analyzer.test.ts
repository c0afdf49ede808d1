import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RgbaImage } from "@lumen/core";
import { createOnnxFrameAnalyzer, decodeJpeg, type FrameAnalyzer } from "../src/index.ts";

const shared = new URL("../../../../shared/media/", import.meta.url).pathname;
const modelDir = new URL("../../../models/dist/", import.meta.url).pathname;
const LIMIT = { maxPixels: 4096 * 4096 };

// Stills showing one face large enough for the short-range (selfie-distance) detector.
const PORTRAITS = [
  "human-ai-face.jpg",
  "human-person-celeste.jpg",
  "human-person-lexi.jpg",
  "human-person-vlado.jpg",
  "mesonet-df00204.jpg",
  "mesonet-df01254.jpg",
  "mesonet-real00240.jpg",
  "mesonet-real00772.jpg",
  "silentface-image_F1.jpg",
  "silentface-image_F2.jpg",
  "silentface-image_T1.jpg",
];

async function still(name: string): Promise<RgbaImage> {
  return await decodeJpeg(new Uint8Array(await readFile(join(shared, "stills", name))), LIMIT);
}

function sideBySide(left: RgbaImage, right: RgbaImage): RgbaImage {
  const width = left.width + right.width;
  const height = Math.max(left.height, right.height);
  const data = new Uint8Array(width * height * 4);
  for (const [image, x0] of [
    [left, 0],
    [right, left.width],
  ] as const) {
    for (let y = 0; y < image.height; y++) {
      const row = image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4);
      data.set(row, (y * width + x0) * 4);
    }
  }
  return { width, height, data };
}

let analyzer: FrameAnalyzer;
beforeAll(async () => {
  analyzer = await createOnnxFrameAnalyzer({ modelDir });
});
afterAll(async () => {
  await analyzer.close();
});

describe("the server's face pipeline", () => {
  it.each(PORTRAITS)("finds exactly one face with its mesh on %s", async (name) => {
    const { faces, face } = await analyzer.analyse(await still(name));
    expect(faces).toHaveLength(1);
    expect(face?.landmarks.presence).toBeGreaterThan(0.5);
    expect(face?.landmarks.points).toHaveLength(468 * 3);
  });

  it("finds the face on every sampled frame of every genuine video", async () => {
    const videos = (await readdir(join(shared, "genuine"))).filter((f) => f.endsWith(".mp4"));
    expect(videos.length).toBeGreaterThanOrEqual(4);
    const dir = await mkdtemp(join(tmpdir(), "lumen-frames-"));
    let frames = 0;
    for (const video of videos) {
      await promisify(execFile)("ffmpeg", [
        ...["-loglevel", "error", "-i", join(shared, "genuine", video)],
        ...["-vf", "fps=2", "-frames:v", "8", "-q:v", "3", join(dir, `${video}-%02d.jpg`)],
      ]);
    }
    for (const file of (await readdir(dir)).sort()) {
      const frame = await decodeJpeg(new Uint8Array(await readFile(join(dir, file))), LIMIT);
      const { faces, face } = await analyzer.analyse(frame);
      expect(faces, file).toHaveLength(1);
      expect(face, file).not.toBeNull();
      frames++;
    }
    expect(frames).toBe(videos.length * 8);
  });

  it("finds no face on a blank or a noise image", async () => {
    const width = 640;
    const height = 480;
    const blank = new Uint8Array(width * height * 4).fill(128);
    const noise = new Uint8Array(width * height * 4);
    let seed = 42;
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      noise[i] = i % 4 === 3 ? 255 : seed >> 23;
    }
    expect((await analyzer.analyse({ width, height, data: blank })).faces).toHaveLength(0);
    expect((await analyzer.analyse({ width, height, data: noise })).faces).toHaveLength(0);
  });

  it("finds two faces when two portraits stand side by side", async () => {
    const pair = sideBySide(await still("mesonet-real00240.jpg"), await still("human-ai-face.jpg"));
    const { faces } = await analyzer.analyse(pair);
    expect(faces).toHaveLength(2);
    const centres = faces.map((face) => face.box.x + face.box.width / 2).sort((a, b) => a - b);
    expect(centres[0]).toBeLessThan(256);
    expect(centres[1]).toBeGreaterThan(256);
  });

  it("scores the genuine Silent-Face still live and its photo and screen attacks spoof", async () => {
    const score = async (name: string): Promise<number> =>
      (await analyzer.analyse(await still(name))).face?.liveness ?? Number.NaN;
    const genuine = await score("silentface-image_T1.jpg");
    const photo = await score("silentface-image_F1.jpg");
    const screen = await score("silentface-image_F2.jpg");
    console.log(`MiniFASNet real - spoof: T1 ${genuine}, F1 ${photo}, F2 ${screen}`);
    expect(genuine).toBeGreaterThan(0);
    expect(photo).toBeLessThan(0);
    expect(screen).toBeLessThan(0);
  });

  it("scores the MesoNet deepfake stills less real than the real ones", async () => {
    const realness = async (name: string): Promise<number> =>
      (await analyzer.analyse(await still(name))).face?.realness ?? Number.NaN;
    const fakes = [await realness("mesonet-df00204.jpg"), await realness("mesonet-df01254.jpg")];
    const reals = [
      await realness("mesonet-real00240.jpg"),
      await realness("mesonet-real00772.jpg"),
    ];
    console.log(`MesoNet-DF realness: deepfakes ${fakes.join(", ")}; real ${reals.join(", ")}`);
    expect(Math.max(...fakes)).toBeLessThan(Math.min(...reals));
  });
});
