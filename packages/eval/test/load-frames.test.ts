import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJpeg } from "@lumen/server";
import type { DatasetItem } from "../src/collect-items.ts";
import { EVAL_LIMITS } from "../src/eval-limits.ts";
import { loadFrames } from "../src/load-frames.ts";

const media = join(fileURLToPath(new URL("../../../", import.meta.url)), "..", "shared", "media");
const T1 = join(media, "stills", "silentface-image_T1.jpg");
const ffmpeg = (args: readonly string[]) =>
  promisify(execFile)("ffmpeg", ["-v", "error", "-y", ...args]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lumen-eval-frames-"));
  await ffmpeg(["-i", T1, join(dir, "t1.png")]);
  await ffmpeg(["-i", T1, "-vf", "scale=2000:1500", join(dir, "big.jpg")]);
  await ffmpeg([
    "-f",
    "lavfi",
    "-i",
    "color=c=gray:s=8000x7000",
    "-frames:v",
    "1",
    join(dir, "huge.png"),
  ]);
  await ffmpeg([
    ...["-i", join(media, "genuine", "liveportrait-d19.mp4"), "-t", "2"],
    ...["-vf", "scale=160:160", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8"],
    join(dir, "clip.webm"),
  ]);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function item(name: string, media: DatasetItem["media"]): Promise<DatasetItem> {
  const absolutePath = join(dir, name);
  return {
    path: name,
    absolutePath,
    class: "bona-fide",
    species: "test",
    media,
    container: name.endsWith(".webm") ? "matroska" : media === "video" ? "mov" : null,
    bytes: (await stat(absolutePath)).size,
  };
}

describe("loadFrames", () => {
  it("decodes a PNG through ffmpeg to the same upright pixels as the JPEG it came from", async () => {
    const { frames, intervalMs } = await loadFrames(await item("t1.png", "png"));
    const jpeg = await decodeJpeg(new Uint8Array(await readFile(T1)), { maxPixels: 1280 * 1280 });
    expect(intervalMs).toBe(0);
    expect(frames).toHaveLength(1);
    const [png] = frames;
    expect([png?.width, png?.height]).toEqual([jpeg.width, jpeg.height]);
    let diff = 0;
    jpeg.data.forEach((v, i) => (diff += Math.abs(v - (png?.data[i] ?? 0))));
    // The PNG holds ffmpeg's own JPEG decode: the two decoders differ by rounding only.
    expect(diff / jpeg.data.length).toBeLessThan(2);
  });

  it("downscales a JPEG larger than the server's frame limit, keeping its aspect ratio", async () => {
    const [frame] = (await loadFrames(await item("big.jpg", "jpeg"))).frames;
    expect(frame).toBeDefined();
    const { width = 0, height = 0 } = frame ?? {};
    expect(width * height).toBeLessThanOrEqual(EVAL_LIMITS.maxFramePixels);
    expect(width * height).toBeGreaterThan(EVAL_LIMITS.maxFramePixels * 0.99);
    expect(width / height).toBeCloseTo(2000 / 1500, 2);
    expect(frame?.data.length).toBe(width * height * 4);
  });

  it("refuses an image above the input pixel limit before decoding it", async () => {
    await expect(loadFrames(await item("huge.png", "png"))).rejects.toThrow(/max pixel count/);
  });

  it("samples a WebM video at the documented rate", async () => {
    const { frames, intervalMs } = await loadFrames(await item("clip.webm", "video"));
    expect(intervalMs).toBe(1000 / EVAL_LIMITS.sampleFps);
    expect(frames).toHaveLength(2 * EVAL_LIMITS.sampleFps);
    expect(frames.every((f) => f.width === 160 && f.height === 160)).toBe(true);
  });

  it("refuses empty and oversized files by their size, without reading them", async () => {
    const base = await item("t1.png", "png");
    await expect(loadFrames({ ...base, bytes: 0 })).rejects.toThrow("empty file");
    await expect(loadFrames({ ...base, bytes: EVAL_LIMITS.maxImageBytes + 1 })).rejects.toThrow(
      /file too large/,
    );
    await expect(
      loadFrames({
        ...base,
        media: "video",
        container: "mov",
        bytes: EVAL_LIMITS.maxVideoBytes + 1,
      }),
    ).rejects.toThrow(/file too large/);
  });

  it("refuses a PNG that is really a JPEG (the demuxer is fixed by the extension)", async () => {
    const fake = { ...(await item("big.jpg", "jpeg")), media: "png" as const };
    await expect(loadFrames(fake)).rejects.toThrow(/ffmpeg/);
  });
});
