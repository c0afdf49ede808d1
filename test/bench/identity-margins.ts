// The identity check's margins: `identityStep` (core's `evaluateFaceConsistency`: the largest
// distance between the mean face embeddings before and after any split of a session) on the
// four genuine videos alone against every splice of two of them, through the server's own
// analyzer (face mesh, chip and face-recognition-resnet29). Sessions are runs of consecutive
// video frames (5 fps); every run and every splice point is tried.
// `pnpm --filter @lumen/e2e exec tsx bench/identity-margins.ts` prints a Markdown table; it
// measures, it asserts nothing.
import { evaluateFaceConsistency, type FrameEvidence } from "@lumen/core";
import { createOnnxFrameAnalyzer } from "@lumen/server";
import { MODEL_DIR, videoFrames } from "../../packages/server/test/support/genuine-evidence.ts";

const VIDEOS = ["d3", "d9", "d12", "d19"].map((name) => `liveportrait-${name}.mp4`);
const SESSION_FRAMES = [12, 20, 30];

const analyzer = await createOnnxFrameAnalyzer({ modelDir: MODEL_DIR });
const faces = new Map<string, NonNullable<FrameEvidence["face"]>[]>();
for (const video of VIDEOS) {
  const frames = await videoFrames(analyzer, video);
  const evidence: NonNullable<FrameEvidence["face"]>[] = [];
  for (const frame of frames) {
    const { face } = await analyzer.analyse(frame.image);
    if (!face) continue;
    evidence.push({
      box: face.box,
      detectionScore: face.detection.score,
      liveness: face.liveness,
      realness: face.realness,
      passive: face.passive,
      pose: frame.pose,
      light: null,
      embedding: face.embedding,
      luma: 0,
      sharpness: 0,
      faceSize: 0,
    });
  }
  faces.set(video, evidence);
}
await analyzer.close();

/** `identityStep` of a session made of these faces, the box held still (identity alone). */
function step(session: readonly NonNullable<FrameEvidence["face"]>[]): number {
  const still = session[0]?.box;
  if (!still) return Number.NaN;
  return evaluateFaceConsistency(
    session.map((face, i) => ({
      capturedAt: i * 200,
      faceCount: 1,
      face: { ...face, box: still },
    })),
  ).identityStep;
}

const fixed = (value: number): string => value.toFixed(3);
console.log("| frames per session | genuine (max, video) | spliced (min, videos) |");
console.log("|---|---|---|");
for (const n of SESSION_FRAMES) {
  let genuine = { value: 0, what: "" };
  let spliced = { value: Infinity, what: "" };
  for (const a of VIDEOS) {
    const fa = faces.get(a) ?? [];
    for (let start = 0; start + n <= fa.length; start++) {
      const value = step(fa.slice(start, start + n));
      if (value > genuine.value) genuine = { value, what: a };
    }
    for (const b of VIDEOS) {
      if (a === b) continue;
      const fb = faces.get(b) ?? [];
      for (let cut = 3; cut <= n - 3; cut++) {
        for (let start = 0; start + n <= Math.min(fa.length, fb.length); start += 3) {
          const value = step([
            ...fa.slice(start, start + cut),
            ...fb.slice(start + cut, start + n),
          ]);
          if (value < spliced.value) spliced = { value, what: `${a} → ${b} after ${String(cut)}` };
        }
      }
    }
  }
  console.log(
    `| ${String(n)} | ${fixed(genuine.value)} (${genuine.what}) | ${fixed(spliced.value)} (${spliced.what}) |`,
  );
}
