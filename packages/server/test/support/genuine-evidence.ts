import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import jpeg from "jpeg-js";
import {
  estimateHeadPose,
  measureFrameLight,
  type HeadPose,
  type PixelRect,
  type RgbaImage,
} from "@lumen/core";
import type { Challenge, PoseDirection, ResultTokenClaims } from "@lumen/protocol";
import { createSeededRandom, relightFrame, screenAt, type RelightMode } from "@lumen/relight";
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
/**
 * The challenge of the genuine-evidence sessions, drawn by the server's rules
 * (`CHALLENGE_BOUNDS`): eight illumination steps of 350–600 ms, a dark one first, then a
 * left-right split and its mirror, a top-bottom split of another primary pair and its mirror,
 * the left-right mirror and split again, and a dark one last; then three head turns.
 */
export const GENUINE_CHALLENGE: Challenge = {
  flashes: [
    { pattern: "full", colours: ["#000000", "#000000"], durationMs: 400 },
    { pattern: "left-right", colours: ["#ff0000", "#0000ff"], durationMs: 500 },
    { pattern: "left-right", colours: ["#0000ff", "#ff0000"], durationMs: 450 },
    { pattern: "top-bottom", colours: ["#00ff00", "#ff0000"], durationMs: 450 },
    { pattern: "top-bottom", colours: ["#ff0000", "#00ff00"], durationMs: 550 },
    { pattern: "left-right", colours: ["#0000ff", "#ff0000"], durationMs: 350 },
    { pattern: "left-right", colours: ["#ff0000", "#0000ff"], durationMs: 600 },
    { pattern: "full", colours: ["#000000", "#000000"], durationMs: 400 },
  ],
  poses: [
    { direction: "left", holdMs: 600 },
    { direction: "right", holdMs: 600 },
    { direction: "down", holdMs: 600 },
  ],
  oval: { centerX: 0.5, centerY: 0.45, width: 0.6, height: 0.75 },
};

/** The injection signals of an ordinary webcam: a real label, jittery frame intervals. */
export const GENUINE_SIGNALS: ResultTokenClaims["signals"] = {
  virtualCameraLabel: false,
  customSource: false,
  frameIntervalStdMs: 2.4,
};

const JPEG_QUALITY = 90;
/**
 * From a paint to the camera frame that shows it (display response, exposure, capture
 * pipeline): a webcam's 40–60 ms.
 */
export const GENUINE_CAMERA_LAG_MS = 50;
// The camera delivers a frame every 1/30 s; capture times fall on that clock.
const CAMERA_FRAME_MS = 1000 / 30;
// Where in each illumination step (as a fraction of it) the SDK keeps a frame: six, as its
// evidence budget gives a step (`ILLUMINATION_STEP_SHARE`), from soon after the light reached
// the camera to just before the next step. Frames on both sides of each change pin the
// camera's lag, as the SDK's frames near each paint do.
const STEP_CAPTURES = [0.15, 0.3, 0.45, 0.6, 0.75, 0.92];
const FRAMES_PER_STEP = STEP_CAPTURES.length;
// The seed of the simulated sensor noise: the same plan gives the same JPEGs.
const NOISE_SEED = 1;
// The schedule a genuine SDK run follows from `startAt` (ms). Frontal frames before the first
// step give the baselines; the steps follow back to back for their `durationMs`; each pose
// prompt stays up for the user's reaction plus its `holdMs`.
const BASELINE_CAPTURES = [0, 100, 200];
const FIRST_STEP_AT = 300;
const GAP_BEFORE_POSES_MS = 100;
const POSE_REACTION_MS = 400;
const POSE_CAPTURES = [POSE_REACTION_MS + 100, POSE_REACTION_MS + 300];

/** A decoded video frame with the face the server's pipeline sees in it. */
export interface VideoFrame {
  readonly image: RgbaImage;
  readonly pose: HeadPose;
  readonly box: PixelRect;
  /** The server's 468-point face mesh, `x, y, z` in frame pixels. */
  readonly points: Float32Array;
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
  /** Indices into `frames` of the frames captured during each illumination step. */
  readonly stepFrames: readonly (readonly number[])[];
  /** Index into `frames` of the first frame captured for the pose prompts. */
  readonly posesFrom: number;
}

/** Decodes `path` through ffmpeg's `filter` and keeps the frames with a face, with its pose, box and mesh. */
async function faceFrames(
  analyzer: FrameAnalyzer,
  path: string,
  filter: string,
): Promise<VideoFrame[]> {
  const dir = await mkdtemp(join(tmpdir(), "lumen-evidence-"));
  try {
    await promisify(execFile)("ffmpeg", [
      ...["-loglevel", "error", "-i", path],
      ...["-vf", filter, "-q:v", "2", join(dir, "%03d.jpg")],
    ]);
    const frames: VideoFrame[] = [];
    for (const file of (await readdir(dir)).sort()) {
      const image = await decodeJpeg(new Uint8Array(await readFile(join(dir, file))), DECODE_LIMIT);
      const { face } = await analyzer.analyse(image);
      if (face) {
        const { points } = face.landmarks;
        frames.push({ image, pose: estimateHeadPose(points), box: face.box, points });
      }
    }
    return frames;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Decodes a genuine video at 5 fps and keeps the frames with a face, with its pose, box and mesh. */
export function videoFrames(analyzer: FrameAnalyzer, name: string): Promise<VideoFrame[]> {
  return faceFrames(analyzer, join(MEDIA_DIR, "genuine", name), "fps=5");
}

/**
 * A still of `shared/media/stills/` as a one-frame video, at most 640 pixels wide as a webcam
 * would deliver it (the lab scales its media the same way), with the face the server sees.
 *
 * @throws {Error} When the still has no face.
 */
export async function stillFrames(analyzer: FrameAnalyzer, name: string): Promise<VideoFrame[]> {
  const frames = await faceFrames(
    analyzer,
    join(MEDIA_DIR, "stills", name),
    "scale='min(640,iw)':-2",
  );
  if (frames.length === 0) throw new Error(`${name}: no face`);
  return frames;
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

/** How {@link planEvidence}'s user answers the screen's light. */
export interface PlanOptions {
  /** Relight the frames with the screen's light (`false`: a video that does not reflect it). */
  readonly flashResponse: boolean;
  /** How (`@lumen/relight`'s modes; `3d` by default): the adaptive-attack ladder's rungs. */
  readonly mode?: RelightMode;
  /** Extra delay after the genuine camera lag, ms (0 by default). */
  readonly delayMs?: number;
}

/** Decodes one of `shared/media/stills/`. */
export async function stillImage(name: string): Promise<RgbaImage> {
  return await decodeJpeg(
    new Uint8Array(await readFile(join(MEDIA_DIR, "stills", name))),
    DECODE_LIMIT,
  );
}

/** A frame captured at `capturedAt`, encoded as the SDK uploads it. */
export function plannedFrame(image: RgbaImage, capturedAt: number): PlannedFrame {
  return { image, capturedAt, jpeg: new Uint8Array(jpeg.encode(image, JPEG_QUALITY).data) };
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

/** The first camera frame at or after `t`, on a 30 fps clock started at `startAt`. */
function cameraTime(startAt: number, t: number): number {
  return Math.round(startAt + Math.ceil((t - startAt) / CAMERA_FRAME_MS) * CAMERA_FRAME_MS);
}

/**
 * The evidence a genuine user following `challenge` from `startAt` would produce, from one
 * video's frames: three frames in a neutral pose as the baseline, six more spread over each
 * illumination step, and for each pose prompt the video's two frames most turned the asked way.
 * Prompt times and capture times follow the challenge's own durations, captures on a 30 fps
 * camera clock. With `flashResponse` every frame is rendered by `relightFrame` (`@lumen/relight`,
 * mode `3d`, default strength and sensor noise) with its own face mesh and the step the camera
 * shows at its capture time ({@link GENUINE_CAMERA_LAG_MS} after the paint); without it the
 * frames are the video's own, as a replayed video that does not reflect the screen.
 *
 * @throws {Error} When the video has too few frames for the challenge.
 */
export function planEvidence(
  frames: readonly VideoFrame[],
  challenge: Challenge,
  startAt: number,
  options: PlanOptions,
): EvidencePlan {
  // A still's one frame serves every capture.
  const at = (list: readonly VideoFrame[], i: number): VideoFrame => {
    const frame = list[i % Math.max(1, list.length)];
    if (!frame) throw new Error("The media has no face frame for this challenge");
    return frame;
  };
  const mode = options.mode ?? "3d";
  const lagMs = GENUINE_CAMERA_LAG_MS + (options.delayMs ?? 0);
  // Before the prompts a genuine user looks straight at the camera: the frames closest to the
  // video's median pose in yaw and pitch. Ranked by yaw alone, d3's "frontal" frames include her
  // looking down, which lowers the pitch baseline by 3–4° and leaves the `down` frames at 7–8°,
  // on the threshold.
  const neutralYaw = middle(frames.map((frame) => frame.pose.yawDegrees));
  const neutralPitch = middle(frames.map((frame) => frame.pose.pitchDegrees));
  const offNeutral = (pose: HeadPose): number =>
    Math.abs(pose.yawDegrees - neutralYaw) + Math.abs(pose.pitchDegrees - neutralPitch);
  // ... with the whole face in the frame (on some of d3's frames the chin touches the edge).
  const whole = frames.filter((frame) => measureFrameLight(frame.image, frame.points) !== null);
  const frontal = (whole.length > 0 ? whole : [...frames]).sort(
    (a, b) => offNeutral(a.pose) - offNeutral(b.pose),
  );

  const flashesShownAt: number[] = [];
  let shownAt = startAt + FIRST_STEP_AT;
  for (const step of challenge.flashes) {
    flashesShownAt.push(shownAt);
    shownAt += step.durationMs;
  }
  const random = createSeededRandom(NOISE_SEED);
  const capture = (frame: VideoFrame, capturedAt: number): PlannedFrame => {
    if (!options.flashResponse) return plannedFrame(frame.image, capturedAt);
    const screen = screenAt(challenge.flashes, flashesShownAt, capturedAt, lagMs);
    return plannedFrame(
      relightFrame(frame.image, frame.points, screen, { random, mode }),
      capturedAt,
    );
  };

  const planned = BASELINE_CAPTURES.map((offset, i) => capture(at(frontal, i), startAt + offset));
  const stepFrames = challenge.flashes.map((step, s) => {
    const indices: number[] = [];
    const from = flashesShownAt[s] ?? startAt;
    for (let k = 0; k < FRAMES_PER_STEP; k++) {
      const t = cameraTime(startAt, from + (STEP_CAPTURES[k] ?? 0.5) * step.durationMs);
      indices.push(planned.length);
      planned.push(capture(at(frontal, planned.length), t));
    }
    return indices;
  });

  const posesFrom = planned.length;
  const posesShownAt: number[] = [];
  shownAt += GAP_BEFORE_POSES_MS;
  for (const pose of challenge.poses) {
    posesShownAt.push(shownAt);
    const turn = TURN[pose.direction];
    const turned = [...frames].sort((a, b) => turn(b.pose) - turn(a.pose));
    for (const [k, offset] of POSE_CAPTURES.entries()) {
      planned.push(capture(at(turned, k), shownAt + offset));
    }
    shownAt += POSE_REACTION_MS + pose.holdMs;
  }
  return { challenge, flashesShownAt, posesShownAt, frames: planned, stepFrames, posesFrom };
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
    const analysis = await analyzer.analyse(await decodeJpeg(frame.jpeg, DECODE_LIMIT));
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
    reference: null,
  };
}
