import { operatingPoints, type OperatingPoint } from "./metrics.ts";
import type { EvalReport, ItemResult } from "./report.ts";
import { systemScore } from "./evaluate.ts";
import { axes, CSS, detPlot, esc, num, pct, plot, table, type Curve } from "./html-parts.ts";
import { passiveModelsHtml } from "./passive-models-html.ts";

function rocPlot(curves: readonly Curve[], marker: [number, number] | null): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((v) => ({ v, label: `${v * 100}%` }));
  return plot(
    curves,
    (p) => [p.apcer, 1 - p.bpcer],
    axes(ticks, "APCER (attacks accepted)", "1 − BPCER (bona fide accepted)", (v) => v),
    marker && [marker[0], 1 - marker[1]],
    "ROC curve",
  );
}

function histograms(report: EvalReport): string {
  const finite = report.items.flatMap((i) => (i.combined === null ? [] : [i.combined]));
  if (finite.length === 0) return "<p>No item had a face: no score to show.</p>";
  const lo = Math.min(0, ...finite);
  const hi = Math.max(0, ...finite);
  const bins = 20;
  const width = (hi - lo) / bins || 1;
  const groups = new Map<string, ItemResult[]>();
  for (const i of report.items) {
    const key = `${i.class}/${i.species}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const w = 300;
  const h = 90;
  const x = (v: number): number => 10 + ((v - lo) / (hi - lo || 1)) * (w - 20);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, list]) => {
      const counts = new Array<number>(bins).fill(0);
      let unscored = 0;
      for (const i of list) {
        if (i.combined === null) {
          unscored++;
          continue;
        }
        const b = Math.min(bins - 1, Math.floor((i.combined - lo) / width));
        counts[b] = (counts[b] ?? 0) + 1;
      }
      const top = Math.max(1, ...counts);
      const bars = counts
        .map((c, b) => {
          const bh = (c / top) * (h - 30);
          return c === 0
            ? ""
            : `<rect x="${x(lo + b * width).toFixed(1)}" y="${(h - 16 - bh).toFixed(1)}" width="${Math.max(1, (w - 20) / bins - 1).toFixed(1)}" height="${bh.toFixed(1)}" class="${key.startsWith("attack") ? "bar-attack" : "bar-bona"}"><title>${c}</title></rect>`;
        })
        .join("");
      const gated = list.filter((i) => systemScore(i) === Number.NEGATIVE_INFINITY).length;
      return `<figure class="hist"><svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(key)}">${bars}<line x1="${x(0)}" y1="4" x2="${x(0)}" y2="${h - 16}" class="thr"/><line x1="10" y1="${h - 16}" x2="${w - 10}" y2="${h - 16}" class="axis"/><text x="10" y="${h - 3}">${num(lo, 1)}</text><text x="${w - 10}" y="${h - 3}" text-anchor="end">${num(hi, 1)}</text></svg><figcaption>${esc(key)}: ${list.length} items, ${unscored} without a face, ${gated} rejected at every threshold</figcaption></figure>`;
    })
    .join("");
}

/**
 * Renders `report.html`: one self-contained page (inline CSS and SVG, no script, no external
 * resource) with the summary, per-species error rates, DET and ROC curves, the passive models
 * and their fusion (data mode), score histograms, the item table and the skipped and no-face
 * lists.
 *
 * @example
 * ```ts
 * await writeFile("report.html", renderHtml(report));
 * ```
 */
export function renderHtml(report: EvalReport): string {
  const bona = report.items.filter((i) => i.class === "bona-fide");
  const attacks = report.items.filter((i) => i.class === "attack");
  const curveOf = (pick: (i: ItemResult) => number | null): OperatingPoint[] => {
    const scores = (list: readonly ItemResult[]) =>
      list.flatMap((i) => {
        const s = pick(i);
        return s === null ? [] : [s];
      });
    return operatingPoints(scores(bona), scores(attacks));
  };
  const curves: Curve[] = [
    { name: "combined (system)", colour: "#1f4e9c", points: report.det },
    { name: "MiniFASNet liveness", colour: "#d48806", points: curveOf((i) => i.liveness) },
    { name: "MesoNet realness", colour: "#7b3fa0", points: curveOf((i) => i.realness) },
  ];
  const marker: [number, number] | null =
    report.apcerMax !== null && report.bpcer !== null
      ? [attacks.filter((i) => i.decision === "accepted").length / attacks.length, report.bpcer]
      : null;
  const { provenance: p, counts } = report;
  const summary = table(
    ["Measure", "Value"],
    [
      [
        "Policy / threshold on the combined score",
        `${report.policy === "recorded" ? "each session's recorded policy" : esc(report.policy)} / ≥ ${report.threshold}`,
      ],
      ...(report.sessions
        ? [
            [
              "Live decisions reproduced / mismatched / not recorded",
              `${report.sessions.reproduced} / ${report.sessions.mismatched} / ${report.sessions.unknown}`,
            ],
          ]
        : []),
      [
        "Items evaluated (bona fide / attack)",
        `${counts.evaluated} (${counts.bonaFide} / ${counts.attack})`,
      ],
      ["No face / skipped", `${counts.noFace} / ${counts.skipped}`],
      [
        "Outcomes pass / review / fail",
        `${counts.outcomes.pass} / ${counts.outcomes.review} / ${counts.outcomes.fail}`,
      ],
      [
        "APCER (worst species)",
        `${pct(report.apcerMax)}${report.apcerMaxSpecies ? ` (${esc(report.apcerMaxSpecies)})` : ""}`,
      ],
      ["BPCER", pct(report.bpcer)],
      ["ACER = (APCERmax + BPCER) / 2", pct(report.acer)],
      ["EER (combined)", pct(report.eer)],
      ["ROC AUC (combined)", num(report.auc)],
      ["BPCER @ APCER ≤ 1%", pct(report.bpcerAtApcer["0.01"]?.bpcer)],
      ["BPCER @ APCER ≤ 5% (BPCER20)", pct(report.bpcerAtApcer["0.05"]?.bpcer)],
    ].map(([a, b]) => [a ?? "", b ?? ""]),
  );
  const species = table(
    ["Attack species", "Attacks", "Accepted", "APCER"],
    Object.entries(report.apcer).map(([s, v]) => [
      esc(s),
      `${counts.attackBySpecies[s] ?? 0}`,
      `${attacks.filter((i) => i.species === s && i.decision === "accepted").length}`,
      pct(v),
    ]),
  );
  const bonaSpecies = table(
    ["Bona fide species", "Items", "Rejected", "BPCER"],
    Object.entries(report.bpcerBySpecies).map(([s, v]) => [
      esc(s),
      `${counts.bonaFideBySpecies[s] ?? 0}`,
      `${bona.filter((i) => i.species === s && i.decision === "rejected").length}`,
      pct(v),
    ]),
  );
  const models = table(
    ["Score", "EER", "ROC AUC", "Items"],
    [
      [
        "combined (system, rejected-at-every-threshold items at −∞)",
        pct(report.models.combined.eer),
        num(report.models.combined.auc),
        `${counts.evaluated}`,
      ],
      [
        "MiniFASNet liveness (items with a face)",
        pct(report.models.liveness.eer),
        num(report.models.liveness.auc),
        `${report.models.liveness.items}`,
      ],
      [
        "MesoNet realness (items with a face)",
        pct(report.models.realness.eer),
        num(report.models.realness.auc),
        `${report.models.realness.items}`,
      ],
    ],
  );
  const sessions = report.mode === "sessions";
  const live = (i: ItemResult): string[] => {
    if (!sessions) return [];
    const server = i.serverDecision
      ? `${i.serverDecision.decision}${i.serverDecision.reasons.length > 0 ? ` (${i.serverDecision.reasons.join(", ")})` : ""}`
      : "–";
    const same =
      i.reproduces === true ? "yes" : i.reproduces === false ? "<strong>no</strong>" : "–";
    return [esc(i.policy ?? ""), server, same];
  };
  const items = table(
    [
      "Path",
      "Class",
      "Species",
      "Frames",
      "Faces",
      "Liveness",
      "Realness",
      "Combined",
      "Outcome",
      "Reasons",
      "Decision",
      ...(sessions ? ["Policy", "Live server", "Reproduced"] : []),
    ],
    report.items.map((i) => [
      `<code>${esc(i.path)}</code>`,
      i.class,
      esc(i.species),
      `${i.frames}`,
      `${i.faces}`,
      num(i.liveness, 2),
      num(i.realness, 3),
      num(i.combined, 2),
      i.outcome,
      i.reasons.join(", ") || "–",
      `<span class="${i.decision}">${i.decision}</span>`,
      ...live(i),
    ]),
  );
  const thresholds = report.decisionThresholds;
  const combinedFormula = thresholds
    ? `min(liveness − ${thresholds.minMedianLiveness}, logit(realness) − logit(${thresholds.minMedianRealness}))`
    : "min(liveness − minMedianLiveness, logit(realness) − logit(minMedianRealness)) with each session's policy's thresholds";
  const what = sessions
    ? "recorded sessions replayed through the server's full decision (challenge checks included)"
    : report.sampling
      ? `passive re-check · videos sampled at ${report.sampling.videoFps} fps, at most ${report.sampling.maxVideoFrames} frames`
      : "passive re-check";
  const list = (entries: readonly string[]): string =>
    entries.length === 0 ? "<p>None.</p>" : `<ul>${entries.join("")}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Lumen PAD evaluation ${esc(report.createdAt)}</title><style>${CSS}</style></head><body>
<h1>Lumen presentation-attack evaluation (ISO/IEC 30107-3)</h1>
<p class="small">Created ${esc(report.createdAt)} · data <code>${esc(report.dataDir)}</code> · policy <code>${esc(report.policy)}</code> · ${what}<br>
Model manifest SHA-256 <code>${esc(p.models.manifestSha256 ?? "unknown")}</code> · SDK models hash <code>${esc(p.models.modelsHash)}</code><br>
Code version <code>${esc(p.code.version ?? "none")}</code> · commit <code>${esc(p.code.commit ?? "unknown")}</code>${p.code.dirty ? " (with uncommitted changes)" : ""}</p>
<h2>Summary</h2>${summary}
<h2>Error rates per species</h2>${species}${bonaSpecies}
<h2>Scores</h2>${models}
${detPlot(curves, marker)}${rocPlot(curves, marker)}
<p class="small">The circle marks the threshold in force. Combined score = ${combinedFormula}; items rejected for another reason (no face, low quality, several faces, face changed${sessions ? ", a failed challenge, tampering or injection" : ""}) are rejected at every threshold.</p>
${report.passive ? passiveModelsHtml(report.passive, report.items.length) : ""}
<h2>Combined score per species</h2><p class="small">Dashed line: the threshold in force (0).</p>${histograms(report)}
<h2>Items</h2>${items}
<h2>No face (${report.noFace.length})</h2>${list(report.noFace.map((path) => `<li><code>${esc(path)}</code></li>`))}
<h2>Skipped (${report.skipped.length})</h2>${list(report.skipped.map((s) => `<li><code>${esc(s.path)}</code>: ${esc(s.error)}</li>`))}
</body></html>
`;
}
