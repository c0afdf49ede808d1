import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import jpeg from "jpeg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimateHeadPose, type HeadPose, type PixelRect, type RgbaImage } from "@lumen/core";
import type { Challenge, FlashColour, ResultTokenClaims } from "@lumen/protocol";
import { decodeJpeg } from "../src/frames/decode-jpeg.ts";
import {
  createOnnxFrameAnalyzer,
  type FrameAnalyzer,
} from "../src/verification/onnx-frame-analyzer.ts";
import type { EvidenceInput, EvidenceVerifier } from "../src/verification/evidence-verifier.ts";
import { createPooledEvidenceVerifier } from "../src/verification/pooled-evidence-verifier.ts";

const shared = new URL("../../../../shared/media/", import.meta.url).pathname;
const modelDir = new URL("../../../models/dist/", import.meta.url).pathname;
const LIMIT = { maxPixels: 1280 * 1280 };
const T0 = 1_760_000_000_000;
// How strongly the simulated screen light tints the face (share of the flashed colour).
const FLASH_BLEND = 0.15;

interface VideoFrame {
  readonly image: RgbaImage;
  readonly pose: HeadPose;
  readonly box: PixelRect;
}

async function videoFrames(analyzer: FrameAnalyzer, name: string): Promise<VideoFrame[]> {
  const dir = await mkdtemp(join(tmpdir(), "lumen-evidence-"));
  try {
    await promisify(execFile)("ffmpeg", [
      ...["-loglevel", "error", "-i", join(shared, "genuine", name)],
      ...["-vf", "fps=5", "-q:v", "2", join(dir, "%03d.jpg")],
    ]);
    const frames: VideoFrame[] = [];
    for (const file of (await readdir(dir)).sort()) {
      const image = decodeJpeg(new Uint8Array(await readFile(join(dir, file))), LIMIT);
      const { face } = await analyzer.analyse(image);
      if (face)
        frames.push({ image, pose: estimateHeadPose(face.landmarks.points), box: face.box });
    }
    return frames;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function tint(frame: VideoFrame, colour: FlashColour): RgbaImage {
  const data = new Uint8Array(frame.image.data);
  const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  const { width, height } = frame.image;
  // The face box grown by a third: the screen lights the whole face, not only the mesh.
  const grow = frame.box.width / 6;
  const x0 = Math.max(0, Math.floor(frame.box.x - grow));
  const x1 = Math.min(width, Math.ceil(frame.box.x + frame.box.width + grow));
  const y0 = Math.max(0, Math.floor(frame.box.y - grow));
  const y1 = Math.min(height, Math.ceil(frame.box.y + frame.box.height + grow));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) {
        data[i + c] = Math.round(
          (1 - FLASH_BLEND) * (data[i + c] ?? 0) + FLASH_BLEND * (rgb[c] ?? 0),
        );
      }
    }
  }
  return { width, height, data };
}

const challenge: Challenge = {
  flashes: [
    { colour: "#ff0000", durationMs: 500 },
    { colour: "#00ff00", durationMs: 500 },
    { colour: "#0000ff", durationMs: 500 },
    { colour: "#ff00ff", durationMs: 500 },
  ],
  poses: [
    { direction: "left", holdMs: 600 },
    { direction: "right", holdMs: 600 },
    { direction: "down", holdMs: 600 },
  ],
  oval: { centerX: 0.5, centerY: 0.45, width: 0.6, height: 0.75 },
};
const flashesShownAt = [300, 800, 1300, 1800].map((t) => T0 + t);
const posesShownAt = [2400, 3400, 4400].map((t) => T0 + t);

interface Shot {
  readonly image: RgbaImage;
  readonly capturedAt: number;
}

/** The capture a genuine user following the challenge would produce, from one video's frames. */
function followChallenge(frames: readonly VideoFrame[], flashResponse: boolean): Shot[] {
  const frontal = [...frames].sort(
    (a, b) => Math.abs(a.pose.yawDegrees) - Math.abs(b.pose.yawDegrees),
  );
  const by = (key: (pose: HeadPose) => number) =>
    [...frames].sort((a, b) => key(b.pose) - key(a.pose));
  const left = by((p) => p.yawDegrees);
  const right = by((p) => -p.yawDegrees);
  const down = by((p) => -p.pitchDegrees);
  const at = (list: readonly VideoFrame[], i: number): VideoFrame => {
    const frame = list[i];
    if (!frame) throw new Error("not enough frames");
    return frame;
  };
  const shots: Shot[] = [0, 1, 2].map((i) => ({
    image: at(frontal, i).image,
    capturedAt: T0 + i * 100,
  }));
  challenge.flashes.forEach((flash, f) => {
    for (const [k, offset] of [150, 350].entries()) {
      const frame = at(frontal, 3 + f * 2 + k);
      const shown = flashesShownAt[f] ?? 0;
      shots.push({
        image: flashResponse ? tint(frame, flash.colour) : frame.image,
        capturedAt: shown + offset,
      });
    }
  });
  [left, right, down].forEach((list, p) => {
    for (const [k, offset] of [500, 700].entries()) {
      shots.push({ image: at(list, k).image, capturedAt: (posesShownAt[p] ?? 0) + offset });
    }
  });
  return shots;
}

async function evidence(analyzer: FrameAnalyzer, shots: readonly Shot[]): Promise<EvidenceInput> {
  const frames = shots.map((shot) => new Uint8Array(jpeg.encode(shot.image, 90).data));
  const claimed: ResultTokenClaims["frames"] = [];
  for (const [i, bytes] of frames.entries()) {
    const shot = shots[i];
    if (!shot) throw new Error("unreachable");
    // The SDK scores the frames it uploads with the same models.
    const analysis = await analyzer.analyse(decodeJpeg(bytes, LIMIT));
    claimed.push({
      capturedAt: shot.capturedAt,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      width: shot.image.width,
      height: shot.image.height,
      scores: {
        faces: analysis.faces.length,
        liveness: analysis.face?.liveness ?? null,
        realness: analysis.face?.realness ?? null,
      },
    });
  }
  const last = shots.at(-1)?.capturedAt ?? T0;
  return {
    sessionId: "ses_AAAAAAAAAAAAAAAAAAAAAA",
    policy: "standard",
    challenge,
    startedAt: T0 - 1000,
    deadline: T0 + 180_000,
    capture: {
      cameraLabel: "FaceTime HD Camera",
      userAgent: "Mozilla/5.0",
      trackSettings: { width: 512, height: 512, frameRate: 30 },
      customSource: false,
    },
    claims: {
      sid: "ses_AAAAAAAAAAAAAAAAAAAAAA",
      nonce: "n0nce-n0nce-n0nce",
      iat: Math.floor(T0 / 1000),
      exp: Math.floor(last / 1000) + 60,
      frames: claimed,
      flashesShownAt,
      posesShownAt,
      models: "0".repeat(64),
      signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 2.4 },
    },
    frames,
  };
}

let analyzer: FrameAnalyzer;
let verifier: EvidenceVerifier;
let d3: VideoFrame[];
beforeAll(async () => {
  analyzer = await createOnnxFrameAnalyzer({ modelDir });
  verifier = createPooledEvidenceVerifier({ modelDir, workers: 1, maxQueue: 4, timeoutMs: 60_000 });
  d3 = await videoFrames(analyzer, "liveportrait-d3.mp4");
}, 120_000);
afterAll(async () => {
  await verifier.close();
  await analyzer.close();
});

describe("estimateHeadPose on a real video", () => {
  it("reads the visible turns of the genuine d3 video with the documented signs", () => {
    const yaws = d3.map((frame) => frame.pose.yawDegrees);
    const pitches = d3.map((frame) => frame.pose.pitchDegrees);
    // Checked by eye: frame 45 (5 fps) turns to her left, frame 4 to her right, 23 looks down.
    expect(Math.max(...yaws)).toBeGreaterThan(18);
    expect(Math.min(...yaws)).toBeLessThan(-12);
    expect(Math.min(...pitches)).toBeLessThan(-15);
    expect(Math.max(...d3.map((frame) => Math.abs(frame.pose.rollDegrees)))).toBeLessThan(15);
  });
});

describe("the pooled evidence verifier on real media", () => {
  it("passes a genuine face that follows the poses and answers the flashes", async () => {
    const verdict = await verifier.verify(await evidence(analyzer, followChallenge(d3, true)));
    console.info("genuine", verdict);
    expect(verdict.reasons).toEqual([]);
    expect(verdict.decision).toBe("pass");
    expect(verdict.auditFrames.length).toBeGreaterThanOrEqual(3);
    expect(verdict.auditFrames.length).toBeLessThanOrEqual(4);
  });

  it("fails the same frames without a flash response", async () => {
    const verdict = await verifier.verify(await evidence(analyzer, followChallenge(d3, false)));
    console.info("no flash response", verdict);
    expect(verdict.decision).toBe("fail");
    expect(verdict.reasons).toEqual(["FLASH_RESPONSE_MISSING"]);
  });

  it("suspects a spoof when a printed-photo still is replayed as every frame", async () => {
    const still = decodeJpeg(
      new Uint8Array(await readFile(join(shared, "stills", "silentface-image_F1.jpg"))),
      LIMIT,
    );
    const shots = followChallenge(d3, true).map((shot) => ({ ...shot, image: still }));
    const verdict = await verifier.verify(await evidence(analyzer, shots));
    console.info("spoof", verdict);
    expect(verdict.decision).toBe("fail");
    expect(verdict.reasons).toContain("SPOOF_SUSPECTED");
  });

  it("sees a face change when two people's videos are spliced mid-session", async () => {
    const d12 = await videoFrames(analyzer, "liveportrait-d12.mp4");
    const first = followChallenge(d3, true);
    const second = followChallenge(d12, true);
    // Baseline and flashes from d3, the pose prompts answered by d12.
    const shots = [...first.slice(0, 11), ...second.slice(11)];
    const verdict = await verifier.verify(await evidence(analyzer, shots));
    console.info("spliced", verdict);
    expect(verdict.decision).toBe("fail");
    expect(verdict.reasons).toContain("FACE_CHANGED");
  });
});
