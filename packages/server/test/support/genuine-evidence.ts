import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import jpeg from "jpeg-js";
import { estimateHeadPose, type HeadPose, type PixelRect, type RgbaImage } from "@lumen/core";
import type { Challenge, FlashColour, PoseDirection, ResultTokenClaims } from "@lumen/protocol";
import { decodeJpeg } from "../../src/frames/decode-jpeg.ts";
import type { EvidenceInput, EvidenceVerifier } from "../../src/verification/evidence-verifier.ts";
import {
  createOnnxFrameAnalyzer,
  type FrameAnalyzer,
} from "../../src/verification/onnx-frame-analyzer.ts";
import { createPooledEvidenceVerifier } from "../../src/verification/pooled-evidence-verifier.ts";

/** `shared/media/` next to the repository: `genuine/` videos and `stills/`. */
export const MEDIA_DIR = new URL("../../../../../shared/media/", import.meta.url).pathname;
/** What `pnpm models` builds. */
export const MODEL_DIR = new URL("../../../../models/dist/", import.meta.url).pathname;
/** Decoding limit for the test media (the protocol's). */
export const DECODE_LIMIT = { maxPixels: 1280 * 1280 };
/** The injection signals of an ordinary webcam: a real label, jittery frame intervals. */
/** The challenge of the genuine-evidence sessions: 4 flashes, then 3 head turns. */
export const GENUINE_CHALLENGE: Challenge = {
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

export const GENUINE_SIGNALS: ResultTokenClaims["signals"] = {
  virtualCameraLabel: false,
  customSource: false,
  frameIntervalStdMs: 2.4,
};

// How strongly the simulated screen light tints the face (share of the flashed colour).
const FLASH_BLEND = 0.15;
const JPEG_QUALITY = 90;
// The schedule a genuine SDK run follows from `startAt` (ms). Frontal frames before the first
// flash give both baselines; flashes follow back to back for their `durationMs`; each pose
// prompt stays up for the user's reaction plus its `holdMs`.
const BASELINE_CAPTURES = [0, 100, 200];
const FIRST_FLASH_AT = 300;
const GAP_BEFORE_POSES_MS = 100;
const POSE_REACTION_MS = 400;
const POSE_CAPTURES = [POSE_REACTION_MS + 100, POSE_REACTION_MS + 300];

/** A decoded video frame with the face the server's pipeline sees in it. */
export interface VideoFrame {
  readonly image: RgbaImage;
  readonly pose: HeadPose;
  readonly box: PixelRect;
}

/** One frame of an evidence plan: what the camera gave, when, and the JPEG the SDK uploads. */
export interface PlannedFrame {
  readonly image: RgbaImage;
  readonly capturedAt: number;
  readonly jpeg: Uint8Array;
}

/** What a genuine user following `challenge` from `startAt` would capture and report. */
export interface EvidencePlan {
  readonly challenge: Challenge;
  readonly flashesShownAt: readonly number[];
  readonly posesShownAt: readonly number[];
  readonly frames: readonly PlannedFrame[];
}

/** Decodes a genuine video at 5 fps and keeps the frames with a face, with its pose and box. */
export async function videoFrames(analyzer: FrameAnalyzer, name: string): Promise<VideoFrame[]> {
  const dir = await mkdtemp(join(tmpdir(), "lumen-evidence-"));
  try {
    await promisify(execFile)("ffmpeg", [
      ...["-loglevel", "error", "-i", join(MEDIA_DIR, "genuine", name)],
      ...["-vf", "fps=5", "-q:v", "2", join(dir, "%03d.jpg")],
    ]);
    const frames: VideoFrame[] = [];
    for (const file of (await readdir(dir)).sort()) {
      const image = decodeJpeg(new Uint8Array(await readFile(join(dir, file))), DECODE_LIMIT);
      const { face } = await analyzer.analyse(image);
      if (face)
        frames.push({ image, pose: estimateHeadPose(face.landmarks.points), box: face.box });
    }
    return frames;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The real re-check (one pooled worker), an SDK-side analyzer, and the genuine d3 video. */
export interface GenuineRecheck {
  /** Scores frames as the SDK does, and finds poses and face boxes in the video. */
  readonly analyzer: FrameAnalyzer;
  readonly verifier: EvidenceVerifier;
  /** `liveportrait-d3.mp4`: turns left, right, up and down past the pose thresholds. */
  readonly d3: readonly VideoFrame[];
  close(): Promise<void>;
}

/** Opens {@link GenuineRecheck}: loads the models twice and decodes d3 (a few seconds). */
export async function openGenuineRecheck(): Promise<GenuineRecheck> {
  const analyzer = await createOnnxFrameAnalyzer({ modelDir: MODEL_DIR });
  const verifier = createPooledEvidenceVerifier({
    modelDir: MODEL_DIR,
    workers: 1,
    maxQueue: 4,
    timeoutMs: 60_000,
  });
  const d3 = await videoFrames(analyzer, "liveportrait-d3.mp4");
  return {
    analyzer,
    verifier,
    d3,
    close: async () => {
      await verifier.close();
      await analyzer.close();
    },
  };
}

/** Decodes one of `shared/media/stills/`. */
export async function stillImage(name: string): Promise<RgbaImage> {
  return decodeJpeg(new Uint8Array(await readFile(join(MEDIA_DIR, "stills", name))), DECODE_LIMIT);
}

/** A frame captured at `capturedAt`, encoded as the SDK uploads it. */
export function plannedFrame(image: RgbaImage, capturedAt: number): PlannedFrame {
  return { image, capturedAt, jpeg: new Uint8Array(jpeg.encode(image, JPEG_QUALITY).data) };
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

function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

// How far a pose is turned the asked way (the person's own left, as `evaluatePoseSequence`).
const TURN: Record<PoseDirection, (pose: HeadPose) => number> = {
  left: (pose) => pose.yawDegrees,
  right: (pose) => -pose.yawDegrees,
  up: (pose) => pose.pitchDegrees,
  down: (pose) => -pose.pitchDegrees,
};

/**
 * The evidence a genuine user following `challenge` from `startAt` would produce, from one
 * video's frames: three frames in a neutral pose as the baseline, two more inside each flash
 * (tinted by the flash colour on the face region when `flashResponse`), and for each pose prompt
 * the video's two frames most turned the asked way. Prompt times and capture times follow the
 * challenge's own durations.
 *
 * @throws {Error} When the video has too few frames for the challenge.
 */
export function planEvidence(
  frames: readonly VideoFrame[],
  challenge: Challenge,
  startAt: number,
  options: { readonly flashResponse: boolean },
): EvidencePlan {
  const at = (list: readonly VideoFrame[], i: number): VideoFrame => {
    const frame = list[i];
    if (!frame) throw new Error("The video has too few face frames for this challenge");
    return frame;
  };
  // Before the prompts a genuine user looks straight at the camera: the frames closest to the
  // video's median pose in yaw and pitch. Ranked by yaw alone, d3's "frontal" frames include her
  // looking down, which lowers the pitch baseline by 3–4° and leaves the `down` frames at 7–8°,
  // on the threshold.
  const neutralYaw = middle(frames.map((frame) => frame.pose.yawDegrees));
  const neutralPitch = middle(frames.map((frame) => frame.pose.pitchDegrees));
  const offNeutral = (pose: HeadPose): number =>
    Math.abs(pose.yawDegrees - neutralYaw) + Math.abs(pose.pitchDegrees - neutralPitch);
  const frontal = [...frames].sort((a, b) => offNeutral(a.pose) - offNeutral(b.pose));
  const planned = BASELINE_CAPTURES.map((offset, i) =>
    plannedFrame(at(frontal, i).image, startAt + offset),
  );

  const flashesShownAt: number[] = [];
  let shownAt = startAt + FIRST_FLASH_AT;
  challenge.flashes.forEach((flash, f) => {
    flashesShownAt.push(shownAt);
    // Inside the flash once the camera caught up with it (`FLASH_CAMERA_LAG_MS`), before its end
    // (drawn flashes last at least 300 ms).
    for (const [k, offset] of [150, Math.max(250, flash.durationMs - 150)].entries()) {
      const frame = at(frontal, BASELINE_CAPTURES.length + f * 2 + k);
      const image = options.flashResponse ? tint(frame, flash.colour) : frame.image;
      planned.push(plannedFrame(image, shownAt + offset));
    }
    shownAt += flash.durationMs;
  });

  const posesShownAt: number[] = [];
  shownAt += GAP_BEFORE_POSES_MS;
  for (const pose of challenge.poses) {
    posesShownAt.push(shownAt);
    const turn = TURN[pose.direction];
    const turned = [...frames].sort((a, b) => turn(b.pose) - turn(a.pose));
    for (const [k, offset] of POSE_CAPTURES.entries()) {
      planned.push(plannedFrame(at(turned, k).image, shownAt + offset));
    }
    shownAt += POSE_REACTION_MS + pose.holdMs;
  }
  return { challenge, flashesShownAt, posesShownAt, frames: planned };
}

/**
 * The per-frame claims an honest SDK signs: capture time, SHA-256 and size of each uploaded
 * JPEG, and its own scores from the same models on the same bytes.
 */
export async function claimFrames(
  analyzer: FrameAnalyzer,
  frames: readonly PlannedFrame[],
): Promise<ResultTokenClaims["frames"]> {
  const claims: ResultTokenClaims["frames"] = [];
  for (const frame of frames) {
    const analysis = await analyzer.analyse(decodeJpeg(frame.jpeg, DECODE_LIMIT));
    claims.push({
      capturedAt: frame.capturedAt,
      sha256: createHash("sha256").update(frame.jpeg).digest("hex"),
      width: frame.image.width,
      height: frame.image.height,
      scores: {
        faces: analysis.faces.length,
        liveness: analysis.face?.liveness ?? null,
        realness: analysis.face?.realness ?? null,
      },
    });
  }
  return claims;
}

/** The same plan with one still image replayed as every frame (a photo held to the camera). */
export function replayStill(plan: EvidencePlan, still: RgbaImage): EvidencePlan {
  const jpegBytes = plannedFrame(still, 0).jpeg;
  return {
    ...plan,
    frames: plan.frames.map((frame) => ({
      image: still,
      capturedAt: frame.capturedAt,
      jpeg: jpegBytes,
    })),
  };
}

/**
 * A planned capture as the HTTP layer hands it to the verifier: a `standard` session started a
 * second before `t0`, a real camera, the claims the SDK would sign for `plan`'s frames.
 *
 * @example
 * ```ts
 * const verdict = await verifier.verify(await evidenceInput(analyzer, plan, T0));
 * ```
 */
export async function evidenceInput(
  analyzer: FrameAnalyzer,
  plan: EvidencePlan,
  t0: number,
): Promise<EvidenceInput> {
  const sessionId = "ses_AAAAAAAAAAAAAAAAAAAAAA";
  const last = plan.frames.at(-1)?.capturedAt ?? t0;
  return {
    sessionId,
    policy: "standard",
    challenge: plan.challenge,
    startedAt: t0 - 1000,
    deadline: t0 + 180_000,
    capture: {
      cameraLabel: "FaceTime HD Camera",
      userAgent: "Mozilla/5.0",
      trackSettings: { width: 512, height: 512, frameRate: 30 },
      customSource: false,
    },
    claims: {
      sid: sessionId,
      nonce: "n0nce-n0nce-n0nce",
      iat: Math.floor(t0 / 1000),
      exp: Math.floor(last / 1000) + 60,
      frames: await claimFrames(analyzer, plan.frames),
      flashesShownAt: [...plan.flashesShownAt],
      posesShownAt: [...plan.posesShownAt],
      models: "0".repeat(64),
      signals: GENUINE_SIGNALS,
    },
    frames: plan.frames.map((frame) => frame.jpeg),
  };
}
