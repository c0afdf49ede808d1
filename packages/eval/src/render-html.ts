import { operatingPoints, type OperatingPoint } from "./metrics.ts";
import type { EvalReport, ItemResult } from "./report.ts";
import { systemScore } from "./evaluate.ts";

const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const pct = (v: number | null | undefined): string =>
  v === null || v === undefined || Number.isNaN(v) ? "–" : `${(v * 100).toFixed(1)}%`;

const num = (v: number | null | undefined, digits = 3): string =>
  v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits);

// Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9).
function probit(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

interface Curve {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly OperatingPoint[];
}

const PLOT = { size: 320, pad: 44 };

function axes(
  ticks: readonly { v: number; label: string }[],
  xLabel: string,
  yLabel: string,
  scale: (v: number) => number,
): string {
  const { size, pad } = PLOT;
  const lines = ticks
    .map(({ v, label }) => {
      const x = pad + scale(v) * size;
      const y = pad + size - scale(v) * size;
      return `<line x1="${x}" y1="${pad}" x2="${x}" y2="${pad + size}" class="grid"/><text x="${x}" y="${pad + size + 14}" text-anchor="middle">${label}</text><line x1="${pad}" y1="${y}" x2="${pad + size}" y2="${y}" class="grid"/><text x="${pad - 4}" y="${y + 4}" text-anchor="end">${label}</text>`;
    })
    .join("");
  return `<rect x="${pad}" y="${pad}" width="${size}" height="${size}" class="frame"/>${lines}<text x="${pad + size / 2}" y="${pad + size + 32}" text-anchor="middle">${xLabel}</text><text transform="translate(12 ${pad + size / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`;
}

function legend(curves: readonly Curve[]): string {
  return curves
    .map(
      (c, i) =>
        `<line x1="${PLOT.pad + 8}" y1="${PLOT.pad + 12 + i * 14}" x2="${PLOT.pad + 24}" y2="${PLOT.pad + 12 + i * 14}" stroke="${c.colour}" stroke-width="2"/><text x="${PLOT.pad + 28}" y="${PLOT.pad + 16 + i * 14}">${esc(c.name)}</text>`,
    )
    .join("");
}

function plot(
  curves: readonly Curve[],
  map: (p: OperatingPoint) => [number, number],
  frame: string,
  marker: [number, number] | null,
  title: string,
): string {
  const { size, pad } = PLOT;
  const paths = curves
    .map((c) => {
      const d = c.points
        .map((p, i) => {
          const [x, y] = map(p);
          return `${i === 0 ? "M" : "L"}${(pad + x * size).toFixed(1)},${(pad + size - y * size).toFixed(1)}`;
        })
        .join(" ");
      return `<path d="${d}" fill="none" stroke="${c.colour}" stroke-width="2"/>`;
    })
    .join("");
  const mark = marker
    ? `<circle cx="${pad + marker[0] * size}" cy="${pad + size - marker[1] * size}" r="5" class="mark"><title>threshold in force</title></circle>`
    : "";
  const side = size + 2 * pad;
  return `<figure><svg viewBox="0 0 ${side} ${side}" width="${side}" height="${side}" role="img" aria-label="${esc(title)}">${frame}${paths}${mark}${legend(curves)}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

const DET_TICKS = [0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99, 0.999];
const DET_MIN = probit(0.001);
const DET_MAX = probit(0.999);
const detScale = (p: number): number =>
  (probit(Math.min(0.999, Math.max(0.001, p))) - DET_MIN) / (DET_MAX - DET_MIN);

function detPlot(curves: readonly Curve[], marker: [number, number] | null): string {
  const ticks = DET_TICKS.map((v) => ({
    v,
    label: v < 0.01 ? `${v * 100}%` : `${Math.round(v * 100)}%`,
  }));
  return plot(
    curves,
    (p) => [detScale(p.apcer), detScale(p.bpcer)],
    axes(ticks, "APCER (normal-deviate scale)", "BPCER", detScale),
    marker && [detScale(marker[0]), detScale(marker[1])],
    "DET curve (points at 0 or 1 are drawn at 0.1% or 99.9%)",
  );
}

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

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1d2330}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #d7dbe3}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d7dbe3;padding:.25em .6em;text-align:left}
th{background:#f1f3f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
.rejected{color:#8a1c1c}.accepted{color:#17612d}code{font-size:.95em}
figure{display:inline-block;margin:.5em 1em .5em 0;vertical-align:top}figcaption{font-size:.85em;color:#4a5365}
svg text{font-size:10px;fill:#4a5365}.frame{fill:none;stroke:#8891a3}.grid{stroke:#e5e8ee}
.mark{fill:none;stroke:#c0392b;stroke-width:2}.thr{stroke:#c0392b;stroke-dasharray:3 2}.axis{stroke:#8891a3}
.bar-bona{fill:#2e7d4f}.bar-attack{fill:#b03a2e}.small{font-size:.85em;color:#4a5365}`;

/**
 * Renders `report.html`: one self-contained page (inline CSS and SVG, no script, no external
 * resource) with the summary, per-species error rates, DET and ROC curves, score histograms,
 * the item table and the skipped and no-face lists.
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
<h2>Combined score per species</h2><p class="small">Dashed line: the threshold in force (0).</p>${histograms(report)}
<h2>Items</h2>${items}
<h2>No face (${report.noFace.length})</h2>${list(report.noFace.map((path) => `<li><code>${esc(path)}</code></li>`))}
<h2>Skipped (${report.skipped.length})</h2>${list(report.skipped.map((s) => `<li><code>${esc(s.path)}</code>: ${esc(s.error)}</li>`))}
</body></html>
`;
}
