import { PASSIVE_FUSION } from "@lumen/core";
import type { PassiveScoreReport, ScoreSummary } from "./fusion/passive-report.ts";
import { esc, num, pct, table } from "./html-parts.ts";
import type { EvalReport } from "./report.ts";

const bySpecies = (values: Readonly<Record<string, number | null>>, format: typeof num): string =>
  Object.entries(values)
    .map(([species, v]) => `${esc(species)} ${format(v)}`)
    .join(", ") || "–";

const summaryRow = (name: string, s: ScoreSummary): string[] => [
  name,
  `${s.items}`,
  num(s.auc),
  pct(s.eer),
  pct(s.bpcerAtApcer5?.bpcer),
  bySpecies(s.aucBySpecies, num),
];

function scoreTables(report: PassiveScoreReport): string {
  const models = table(
    ["Model", "Items", "ROC AUC", "EER", "BPCER @ APCER ≤ 5%", "ROC AUC per attack species"],
    [
      ...Object.entries(report.models).map(([id, s]) => summaryRow(`<code>${esc(id)}</code>`, s)),
      ...(report.fusion ? [summaryRow("fusion (cross-validated)", report.fusion)] : []),
    ],
  );
  if (!report.fusion) {
    return `${models}<p class="small">Too few items have every model's score for the fusion to be cross-validated (it needs as many bona fide and attack items as folds).</p>`;
  }
  const points = table(
    ["Policy", "Target BPCER", "Threshold", "BPCER", "APCER", "APCER per attack species"],
    Object.entries(report.fusion.operatingPoints).map(([policy, p]) => [
      esc(policy),
      pct(p.targetBpcer),
      num(p.threshold, 2),
      pct(p.bpcer),
      pct(p.apcer),
      bySpecies(p.apcerBySpecies, pct),
    ]),
  );
  return `${models}<p class="small">The fusion's operating points on its cross-validated scores:</p>${points}`;
}

function pinnedFusion(): string {
  const { features, fit, operatingPoints } = PASSIVE_FUSION;
  const points = table(
    ["Policy", "Target BPCER", "Threshold", "BPCER", "APCER"],
    Object.entries(operatingPoints).map(([policy, p]) => [
      esc(policy),
      pct(p.targetBpcer),
      num(p.threshold, 2),
      pct(p.bpcer),
      pct(p.apcer),
    ]),
  );
  return `<h3>Pinned fusion in force</h3>
<p>Features: ${features.map((id) => `<code>${esc(id)}</code>`).join(", ")}. Fitted on data <code>${esc(fit.dataSha256.slice(0, 12))}</code> (${fit.bonaFide} bona fide, ${fit.attacks} attacks; L2 ${fit.l2}, ${fit.folds} grouped folds): cross-validated ROC AUC ${num(fit.cvAuc)}, EER ${pct(fit.cvEer)}. Its operating points (cross-validated on its own fitting data, not on this data):</p>${points}`;
}

/**
 * The data-mode report's "Passive models" section: each passive model alone and the fusion
 * cross-validated, on the supported input and, apart, on face-only crops; then the pinned
 * fusion the server applies.
 *
 * @example
 * ```ts
 * const section = report.passive ? passiveModelsHtml(report.passive, report.items.length) : "";
 * ```
 */
export function passiveModelsHtml(
  passive: NonNullable<EvalReport["passive"]>,
  itemCount: number,
): string {
  const crops = passive.faceOnlyCropItems.length;
  const limit = passive.maxContextFaceSize;
  return `<h2>Passive models</h2>
<p class="small">Each model's score is its median log-odds of bona fide over an item's frames with a face. The fusion row is the fusion's recipe cross-validated on these items: each item scored by a fit on other sources only (grouped folds by file-name prefix).</p>
<h3>Supported input (${itemCount - crops} items)</h3>
<p class="small">Camera frames and photos with context: the face at most ${limit} of the frame's shorter side (items without a face included).</p>
${scoreTables(passive.supported)}
<h3>Face-only crops (${crops} items)</h3>
<p class="small">These crops hold only the face (wider than ${limit} of the frame's shorter side), not the camera frames the SDK sends: the models see no context around the face, so they are scored apart and left out of the table above.</p>
${crops === 0 ? "<p>None.</p>" : scoreTables(passive.faceOnlyCrops)}
${pinnedFusion()}`;
}
