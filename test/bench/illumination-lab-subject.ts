// The shape check's spread on a moving face, as the attack lab's cooperative subject moves: the
// most neutral 1.2 s of a genuine video (12 frames at 10 fps, picked by the lab's own
// `neutralStretch`) played back and forth at 10 fps, seen by a 30 fps camera 50 ms late; six frames kept
// per illumination step, spread over it from 40 ms after its paint (the SDK's evidence
// budget); each frame relit by `@lumen/relight` (3D as a face, or flat as a print), encoded
// as JPEG and measured by core's `measureFrameLight` with the video frame's own server mesh.
// `pnpm --filter @lumen/e2e exec tsx bench/illumination-lab-subject.ts [draws]` prints, per
// video and relight, the shape agreement's min / mean / max and standard deviation over the
// server's draws; it measures, it asserts nothing.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import jpeg from "jpeg-js";
import {
  DECISION_THRESHOLDS,
  estimateHeadPose,
  evaluateIllumination,
  measureFrameLight,
  type HeadPose,
  type RgbaImage,
} from "@lumen/core";
import { createSeededRandom, relightFrame, screenAt, type RelightMode } from "@lumen/relight";
import { createOnnxFrameAnalyzer, decodeJpeg } from "@lumen/server";
import { neutralStretch } from "../../packages/demo/src/lab/neutral-stretch.ts";
import { drawChallenge } from "../../packages/server/src/sessions/draw-challenge.ts";
import {
  DECODE_LIMIT,
  MEDIA_DIR,
  MODEL_DIR,
} from "../../packages/server/test/support/genuine-evidence.ts";
import { seededRandom } from "../src/harness/seeded-random.ts";

const DRAWS = Number(process.argv[2] ?? 16);
const SUBJECT_FRAME_MS = 100;
const CAMERA_FRAME_MS = 1000 / 30;
const CAMERA_LAG_MS = 50;
const FRAMES_PER_STEP = 6;
const EVIDENCE_DELAY_MS = 40;
const JPEG_QUALITY = 85;

interface NeutralFrame {
  readonly image: RgbaImage;
  readonly points: Float32Array;
}

const analyzer = await createOnnxFrameAnalyzer({ modelDir: MODEL_DIR });

/** The video's neutral stretch at the lab's 10 fps, as the lab's rehearsal picks it. */
async function labStretch(name: string): Promise<NeutralFrame[]> {
  const dir = await mkdtemp(join(tmpdir(), "lumen-lab-subject-"));
  try {
    await promisify(execFile)("ffmpeg", [
      ...["-loglevel", "error", "-i", join(MEDIA_DIR, "genuine", name)],
      ...["-vf", "fps=10", "-q:v", "2", join(dir, "%04d.jpg")],
    ]);
    const frames: (NeutralFrame & { readonly pose: HeadPose })[] = [];
    for (const file of (await readdir(dir)).sort()) {
      const image = await decodeJpeg(new Uint8Array(await readFile(join(dir, file))), DECODE_LIMIT);
      const { face } = await analyzer.analyse(image);
      if (!face) continue;
      const { points } = face.landmarks;
      frames.push({ image, points, pose: estimateHeadPose(points) });
    }
    return neutralStretch(frames);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function summary(values: readonly number[]): string {
  const finite = values.filter((v) => Number.isFinite(v));
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const sd = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1));
  const unmeasured = values.length - finite.length;
  return `${Math.min(...finite).toFixed(2)} / ${mean.toFixed(2)} / ${Math.max(...finite).toFixed(2)} | ${sd.toFixed(2)} | ${String(unmeasured)}`;
}

const thresholds = DECISION_THRESHOLDS.standard.illumination;
const rows: string[] = [];
for (const video of ["d3", "d9", "d12", "d19"]) {
  const stretch = await labStretch(`liveportrait-${video}.mp4`);
  const period = 2 * stretch.length - 2;
  for (const mode of ["3d", "flat"] as const satisfies readonly RelightMode[]) {
    const shapes: number[] = [];
    let passed = 0;
    for (let draw = 1; draw <= DRAWS; draw++) {
      const steps = drawChallenge("standard", seededRandom(draw)).flashes;
      const startAt = 1_000_000;
      const shownAt: number[] = [];
      let at = startAt;
      for (const step of steps) {
        shownAt.push(at);
        at += step.durationMs;
      }
      const random = createSeededRandom(draw);
      const offset = Math.floor(random() * period);
      const shown = (t: number): NeutralFrame | undefined => {
        const k = (offset + Math.floor((t - startAt) / SUBJECT_FRAME_MS)) % period;
        return stretch[k < stretch.length ? k : period - k];
      };
      const camera = (t: number): number =>
        startAt + Math.ceil((t - startAt) / CAMERA_FRAME_MS) * CAMERA_FRAME_MS;
      const frames = await Promise.all(
        steps.flatMap((step, i) => {
          const from = (shownAt[i] ?? 0) + EVIDENCE_DELAY_MS;
          return Array.from({ length: FRAMES_PER_STEP }, async (_, k) => {
            const capturedAt = camera(
              from + (k * (step.durationMs - EVIDENCE_DELAY_MS)) / FRAMES_PER_STEP,
            );
            const frame = shown(capturedAt - CAMERA_LAG_MS);
            if (!frame) return { capturedAt, light: null };
            const screen = screenAt(steps, shownAt, capturedAt, CAMERA_LAG_MS);
            const lit = relightFrame(frame.image, frame.points, screen, { random, mode });
            const image = await decodeJpeg(jpeg.encode(lit, JPEG_QUALITY).data, DECODE_LIMIT);
            return { capturedAt, light: measureFrameLight(image, frame.points) };
          });
        }),
      );
      const result = evaluateIllumination(steps, shownAt, frames, thresholds);
      shapes.push(result.shapeAgreement);
      if (result.passed) passed++;
    }
    rows.push(`| ${video} | ${mode} | ${String(passed)}/${String(DRAWS)} | ${summary(shapes)} |`);
    process.stderr.write(`${video} ${mode}: ${String(passed)}/${String(DRAWS)} passed\n`);
  }
}
await analyzer.close();
process.stdout.write(
  [
    `${String(DRAWS)} server draws per video; shape agreement bounds ${String(thresholds.minShapeAgreement)}…5.`,
    "",
    "| video | relight | passed | shape min / mean / max | sd | unmeasured |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n"),
);
