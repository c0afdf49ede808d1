// The illumination checks' margins: each check's value on genuine captures (the simulator's 3D
// relight, on time, of the four genuine videos) against each rung of the adaptive-attack
// ladder, over many server draws, through the server's own per-frame summary and evaluator.
// `pnpm --filter @lumen/e2e exec tsx bench/illumination-margins.ts [draws]` prints a Markdown
// table (min / median / max per check); it measures, it asserts nothing.
import {
  DECISION_THRESHOLDS,
  evaluateIllumination,
  summariseFrame,
  type IlluminationResult,
} from "@lumen/core";
import { createOnnxFrameAnalyzer, decodeJpeg } from "@lumen/server";
import { drawChallenge } from "../../packages/server/src/sessions/draw-challenge.ts";
import {
  DECODE_LIMIT,
  MODEL_DIR,
  planEvidence,
  stillFrames,
  videoFrames,
  type PlanOptions,
  type VideoFrame,
} from "../../packages/server/test/support/genuine-evidence.ts";
import { seededRandom } from "../src/harness/seeded-random.ts";

const DRAWS = Number(process.argv[2] ?? 10);

const CASES: readonly { readonly name: string; readonly options: PlanOptions }[] = [
  { name: "genuine (3D relight on time)", options: { flashResponse: true } },
  { name: "ladder 1: tint of the face box", options: { flashResponse: true, mode: "tint-face" } },
  {
    name: "ladder 2: tint of the whole frame",
    options: { flashResponse: true, mode: "tint-frame" },
  },
  { name: "ladder 3: flat relight", options: { flashResponse: true, mode: "flat" } },
  { name: "ladder 4: 3D relight 150 ms late", options: { flashResponse: true, delayMs: 150 } },
  { name: "ladder 4: 3D relight 300 ms late", options: { flashResponse: true, delayMs: 300 } },
  { name: "ladder 5: halves swapped", options: { flashResponse: true, mode: "swapped" } },
  { name: "no response (video replay)", options: { flashResponse: false } },
];

const CHECKS = [
  ["lag (ms)", (r: IlluminationResult) => r.lagMs],
  ["correlation", (r: IlluminationResult) => r.correlation],
  ["shape agreement", (r: IlluminationResult) => r.shapeAgreement],
  ["background ratio", (r: IlluminationResult) => r.backgroundRatio],
  ["response", (r: IlluminationResult) => r.meanResponse],
] as const;

function spread(values: readonly number[]): string {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return "–";
  const at = (q: number): string => (sorted[Math.floor(q * (sorted.length - 1))] ?? NaN).toFixed(2);
  return `${at(0)} / ${at(0.5)} / ${at(1)}`;
}

const analyzer = await createOnnxFrameAnalyzer({ modelDir: MODEL_DIR });
const media: [string, VideoFrame[]][] = [];
for (const name of ["d3", "d9", "d12", "d19"]) {
  media.push([name, await videoFrames(analyzer, `liveportrait-${name}.mp4`)]);
}
for (const name of ["human-person-lexi.jpg", "mesonet-df00204.jpg"]) {
  media.push([name, await stillFrames(analyzer, name)]);
}
const thresholds = DECISION_THRESHOLDS.standard.illumination;
// The header first and each row as its case completes: a long run shows its results as it goes.
process.stdout.write(
  [
    `Media: ${media.map(([n]) => n).join(", ")}; ${String(DRAWS)} server draws each; standard policy bounds: lag ${String(thresholds.lagMs.min)}…${String(thresholds.lagMs.max)} ms, correlation ≥ ${String(thresholds.minCorrelation)}, shape ≥ ${String(thresholds.minShapeAgreement)} (≤ 5), background ≤ ${String(thresholds.maxBackgroundRatio)}, response ≥ ${String(thresholds.minResponse)}.`,
    "",
    `| case | passed | ${CHECKS.map(([n]) => `${n} min / median / max`).join(" | ")} |`,
    `|---|---|${CHECKS.map(() => "---").join("|")}|`,
    "",
  ].join("\n"),
);
for (const { name, options } of CASES) {
  const results: IlluminationResult[] = [];
  for (const [, frames] of media) {
    for (let draw = 1; draw <= DRAWS; draw++) {
      const challenge = drawChallenge("standard", seededRandom(draw));
      const plan = planEvidence(frames, challenge, 1_000_000, options);
      const evidence = [];
      for (const frame of plan.frames) {
        const image = await decodeJpeg(frame.jpeg, DECODE_LIMIT);
        evidence.push(summariseFrame(image, await analyzer.analyse(image), frame.capturedAt));
      }
      results.push(
        evaluateIllumination(
          challenge.flashes,
          plan.flashesShownAt,
          evidence.map((e) => ({ capturedAt: e.capturedAt, light: e.face?.light ?? null })),
          thresholds,
        ),
      );
    }
  }
  const passed = results.filter((r) => r.passed).length;
  process.stdout.write(
    `| ${name} | ${String(passed)}/${String(results.length)} | ${CHECKS.map(([, f]) => spread(results.map(f))).join(" | ")} |\n`,
  );
}
await analyzer.close();
