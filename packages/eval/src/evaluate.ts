import {
  DECISION_THRESHOLDS,
  isPassiveFrame,
  median,
  passiveFeatures,
  summariseFrame,
  type FrameEvidence,
  type PassiveFusion,
} from "@lumen/core";
import type { Decision, Policy } from "@lumen/protocol";
import {
  createOnnxFrameAnalyzer,
  operatorPassiveFusion,
  shippedPassiveModels,
  type FrameAnalyzer,
  type OperatorPassiveModel,
} from "@lumen/server";
import { collectItems, type DatasetItem, type SkippedItem } from "./collect-items.ts";
import { EVAL_LIMITS } from "./eval-limits.ts";
import { loadFrames } from "./load-frames.ts";
import { acer, bpcerAtApcer, operatingPoints, separation } from "./metrics.ts";
import { FUSION_RECIPE } from "./fusion/fusion-recipe.ts";
import { passiveScoreReport } from "./fusion/passive-report.ts";
import { assessPassive } from "./passive-assessment.ts";
import { createProgress, type ProgressStream } from "./progress.ts";
import { collectProvenance } from "./provenance.ts";
import type { EvalReport, ItemResult } from "./report.ts";

/** Inputs of {@link evaluate}; paths absolute. */
export interface EvaluateOptions {
  readonly dataDir: string;
  readonly policy: Policy;
  readonly modelDir: string;
  readonly repoRoot: string;
  /** Progress and skipped files go here (`process.stderr`). */
  readonly stderr: ProgressStream;
  /**
   * The operator's own passive models (`--passive-models`), run after the shipped ones and
   * reported like them; none by default.
   */
  readonly operatorModels?: readonly OperatorPassiveModel[];
  /** Test seam for `createdAt`. */
  readonly now?: () => Date;
}

// Stills and video frames get synthetic capture times: a fixed epoch plus the video time, so
// the decision's frame-interval checks see real spacing and runs are reproducible.
const EPOCH_MS = 1_700_000_000_000;

async function evaluateItem(
  item: DatasetItem,
  analyse: FrameAnalyzer["analyse"],
  policy: Policy,
  passiveFusion: PassiveFusion,
): Promise<ItemResult> {
  const { frames, intervalMs } = await loadFrames(item);
  const evidence: FrameEvidence[] = [];
  for (const [i, frame] of frames.entries()) {
    // The further passive models on the frames the server runs them on.
    const passive = isPassiveFrame(i, frames.length);
    evidence.push(
      summariseFrame(frame, await analyse(frame, { passive }), EPOCH_MS + i * intervalMs),
    );
  }
  const assessment = assessPassive(evidence, policy, passiveFusion);
  const faces = evidence.filter((frame) => frame.face !== null).length;
  const modelScores: Record<string, number> = {};
  const models = new Set(evidence.flatMap((frame) => Object.keys(frame.face?.passive ?? {})));
  for (const model of [...models].sort()) {
    const [score] = passiveFeatures(evidence, [model]) ?? [];
    if (score !== undefined) modelScores[model] = score;
  }
  const faceSize = median(evidence.flatMap((frame) => (frame.face ? [frame.face.faceSize] : [])));
  return {
    path: item.path,
    class: item.class,
    species: item.species,
    media: item.media,
    frames: evidence.length,
    faces,
    liveness: assessment.liveness,
    realness: assessment.realness,
    combined: assessment.combined,
    modelScores,
    faceSize: Number.isFinite(faceSize) ? faceSize : null,
    outcome: assessment.outcome,
    reasons: assessment.reasons,
    gatedBy: assessment.gatedBy,
    decision: assessment.outcome === "pass" ? "accepted" : "rejected",
    noFace: faces === 0,
  };
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** The score the system curves use: the combined score, or −∞ when rejected whatever the threshold. */
export function systemScore(item: ItemResult): number {
  return item.gatedBy.length > 0 || item.combined === null
    ? Number.NEGATIVE_INFINITY
    : item.combined;
}

// A face-only crop: the face fills the frame, with no context around it (see EVAL_LIMITS).
const hasContext = (item: ItemResult): boolean =>
  item.faceSize === null ||
  item.faceSize === undefined ||
  item.faceSize <= EVAL_LIMITS.maxContextFaceSize;

/** The share of `items` whose decision is `decision`, `NaN` for none. */
function rate(items: readonly ItemResult[], decision: ItemResult["decision"]): number {
  return items.filter((i) => i.decision === decision).length / items.length;
}

/**
 * Builds `report.json`'s content from evaluated items. Pure.
 *
 * @example
 * ```ts
 * const report = buildReport(items, skipped, context);
 * ```
 */
export function buildReport(
  items: readonly ItemResult[],
  skipped: readonly SkippedItem[],
  context: Pick<EvalReport, "createdAt" | "dataDir" | "policy" | "provenance"> & {
    readonly mode?: EvalReport["mode"];
  },
): EvalReport {
  const { mode = "data", ...facts } = context;
  const bona = items.filter((i) => i.class === "bona-fide");
  const attacks = items.filter((i) => i.class === "attack");
  const attackSpecies = [...new Set(attacks.map((i) => i.species))].sort();
  const bonaSpecies = [...new Set(bona.map((i) => i.species))].sort();
  const apcerBySpecies: Record<string, number> = {};
  for (const species of attackSpecies) {
    apcerBySpecies[species] = rate(
      attacks.filter((i) => i.species === species),
      "accepted",
    );
  }
  const bpcerBySpecies: Record<string, number> = {};
  for (const species of bonaSpecies) {
    bpcerBySpecies[species] = rate(
      bona.filter((i) => i.species === species),
      "rejected",
    );
  }
  let apcerMaxSpecies: string | null = null;
  for (const species of attackSpecies) {
    if (
      apcerMaxSpecies === null ||
      (apcerBySpecies[species] ?? 0) > (apcerBySpecies[apcerMaxSpecies] ?? 0)
    ) {
      apcerMaxSpecies = species;
    }
  }
  const apcerMax = apcerMaxSpecies === null ? null : (apcerBySpecies[apcerMaxSpecies] ?? null);
  const bpcerValue = bona.length === 0 ? null : rate(bona, "rejected");

  const bonaScores = bona.map(systemScore);
  const attackScores = attacks.map(systemScore);
  const withFace = (list: readonly ItemResult[], key: "liveness" | "realness"): number[] =>
    list.flatMap((i) => (i[key] === null ? [] : [i[key]]));
  const modelSeparation = (key: "liveness" | "realness") => ({
    ...separation(withFace(bona, key), withFace(attacks, key)),
    items: withFace(items, key).length,
  });
  const outcomes: Record<Decision, number> = { pass: 0, review: 0, fail: 0 };
  for (const i of items) outcomes[i.outcome]++;
  const combined = separation(bonaScores, attackScores);

  return {
    tool: "@lumen/eval",
    mode,
    ...facts,
    threshold: 0,
    decisionThresholds: facts.policy === "recorded" ? null : DECISION_THRESHOLDS[facts.policy],
    sampling:
      mode === "sessions"
        ? null
        : {
            videoFps: EVAL_LIMITS.sampleFps,
            maxVideoFrames: EVAL_LIMITS.maxVideoFrames,
            videoScore:
              "median over the frames with a face (decide's livenessMedian and realnessMedian), then the combined score of the medians",
          },
    sessions:
      mode === "sessions"
        ? {
            reproduced: items.filter((i) => i.reproduces === true).length,
            mismatched: items.filter((i) => i.reproduces === false).length,
            unknown: items.filter((i) => i.reproduces !== true && i.reproduces !== false).length,
          }
        : null,
    limits: EVAL_LIMITS,
    counts: {
      evaluated: items.length,
      bonaFide: bona.length,
      attack: attacks.length,
      bonaFideBySpecies: countBy(bona.map((i) => i.species)),
      attackBySpecies: countBy(attacks.map((i) => i.species)),
      noFace: items.filter((i) => i.noFace).length,
      skipped: skipped.length,
      outcomes,
    },
    apcer: apcerBySpecies,
    apcerMax,
    apcerMaxSpecies,
    bpcer: bpcerValue,
    bpcerBySpecies,
    acer: apcerMax === null || bpcerValue === null ? null : acer(apcerMax, bpcerValue),
    eer: combined.eer,
    auc: combined.auc,
    bpcerAtApcer: {
      "0.01": bpcerAtApcer(bonaScores, attackScores, 0.01),
      "0.05": bpcerAtApcer(bonaScores, attackScores, 0.05),
    },
    models: {
      combined,
      liveness: modelSeparation("liveness"),
      realness: modelSeparation("realness"),
    },
    det: operatingPoints(bonaScores, attackScores),
    passive:
      mode === "data"
        ? {
            maxContextFaceSize: EVAL_LIMITS.maxContextFaceSize,
            supported: passiveScoreReport(items.filter(hasContext), FUSION_RECIPE),
            faceOnlyCrops: passiveScoreReport(
              items.filter((item) => !hasContext(item)),
              FUSION_RECIPE,
            ),
            faceOnlyCropItems: items.filter((item) => !hasContext(item)).map((item) => item.path),
          }
        : null,
    items,
    noFace: items.filter((i) => i.noFace).map((i) => i.path),
    skipped,
  };
}

/**
 * Runs the server's frame analysis and passive assessment on every item, with every passive
 * model the server runs. Never throws for a bad item: it is reported on `stderr` and appended
 * to `skipped`.
 *
 * @throws {Error} when the models cannot be loaded.
 * @example
 * ```ts
 * const items = await analyseItems(found, skipped, { modelDir, policy: "standard", stderr });
 * ```
 */
export async function analyseItems(
  found: readonly DatasetItem[],
  skipped: SkippedItem[],
  options: Pick<EvaluateOptions, "modelDir" | "policy" | "stderr" | "operatorModels">,
): Promise<ItemResult[]> {
  const analyzer = await createOnnxFrameAnalyzer({
    modelDir: options.modelDir,
    passiveModels: [...shippedPassiveModels(options.modelDir), ...(options.operatorModels ?? [])],
  });
  // Items are judged with the operator's terms in the fusion, as the server would judge them.
  const passiveFusion = operatorPassiveFusion(options.operatorModels ?? []);
  const progress = createProgress(options.stderr, found.length);
  for (const entry of skipped) progress.note(`skipped ${entry.path}: ${entry.error}`);
  const items: ItemResult[] = [];
  try {
    for (const item of found) {
      try {
        const result = await evaluateItem(
          item,
          (frame, analyseOptions) => analyzer.analyse(frame, analyseOptions),
          options.policy,
          passiveFusion,
        );
        items.push(result);
        progress.tick(item.path, result.decision);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        skipped.push({ path: item.path, error });
        progress.note(`skipped ${item.path}: ${error}`);
        progress.tick(item.path, "skipped");
      }
    }
  } finally {
    progress.done();
    await analyzer.close();
  }
  return items;
}

/**
 * Runs the passive re-check on every item of the data folder and builds the report. Never
 * throws for a bad item: it is reported on `stderr` and listed in `skipped`.
 *
 * @throws {Error} when the data folder holds no item, or the models cannot be loaded.
 * @example
 * ```ts
 * const report = await evaluate({ dataDir, policy: "standard", modelDir, repoRoot, stderr: process.stderr });
 * ```
 */
export async function evaluate(options: EvaluateOptions): Promise<EvalReport> {
  const { items: found, skipped } = await collectItems(options.dataDir);
  if (found.length === 0) {
    throw new Error(
      `No image or video found in ${options.dataDir} (expected bona-fide/<species>/<file> and attack/<species>/<file>)`,
    );
  }
  const provenance = await collectProvenance(options.repoRoot, options.modelDir);
  const items = await analyseItems(found, skipped, options);
  return buildReport(items, skipped, {
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    dataDir: options.dataDir,
    policy: options.policy,
    provenance,
  });
}
