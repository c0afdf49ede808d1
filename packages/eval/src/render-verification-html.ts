import { CSS, detPlot, esc, num, pct, table } from "./html-parts.ts";
import type { VerificationReport } from "./verification-report.ts";

/**
 * Renders `report.html` of `pnpm eval --identities`: one self-contained page (inline CSS and
 * SVG, no script, no external resource) with the ISO/IEC 19795-1 summary, each policy's face-match
 * threshold with its error rates, the DET curve, the distance ranges, the failures to enrol and the skipped files. No embedding is shown.
 *
 * @example
 * ```ts
 * await writeFile("report.html", renderVerificationHtml(report));
 * ```
 */
export function renderVerificationHtml(report: VerificationReport): string {
  const { verification: v, counts, provenance: p } = report;
  const at = (key: "0.01" | "0.001"): string => {
    const point = v.fnmrAtFmr[key];
    return point
      ? `${pct(point.fnmr)} (threshold ${num(point.threshold)}, FMR ${pct(point.fmr)})`
      : "–";
  };
  const summary = table(
    ["Measure", "Value"],
    [
      [
        "Threshold in force, the standard policy's (distance ≤ threshold is a match)",
        num(report.threshold, 2),
      ],
      ["FMR / FNMR at the threshold in force", `${pct(v.fmr)} / ${pct(v.fnmr)}`],
      ["FNMR @ FMR ≤ 1%", at("0.01")],
      ["FNMR @ FMR ≤ 0.1%", at("0.001")],
      ["EER", pct(v.eer)],
      ["Genuine / impostor pairs", `${v.genuinePairs} / ${v.impostorPairs}`],
      ["Persons / images / enrolled", `${counts.persons} / ${counts.images} / ${counts.enrolled}`],
      ["Failure to enrol", `${counts.failureToEnrol} (${pct(counts.failureToEnrolRate)})`],
      ["Skipped files", `${counts.skipped}`],
    ],
  );
  const policies = table(
    ["Policy", "Threshold (distance)", "FMR set for", "FMR here", "FNMR here"],
    Object.entries(report.policies).map(([policy, point]) => [
      esc(policy),
      num(point.threshold, 2),
      pct(point.fmrSetFor),
      pct(point.fmr),
      pct(point.fnmr),
    ]),
  );
  const range = (name: string, d: VerificationReport["verification"]["distances"]["genuine"]) => [
    name,
    num(d?.min),
    num(d?.median),
    num(d?.max),
  ];
  const distances = table(
    ["Pairs", "Min distance", "Median", "Max"],
    [range("genuine", v.distances.genuine), range("impostor", v.distances.impostor)],
  );
  const curve = v.det.map(({ threshold, fmr, fnmr }) => ({ threshold, apcer: fmr, bpcer: fnmr }));
  const marker: [number, number] | null =
    v.fmr !== null && v.fnmr !== null ? [v.fmr, v.fnmr] : null;
  const failures = report.images.filter((i) => !i.enrolled);
  const list = (entries: readonly string[]): string =>
    entries.length === 0 ? "<p>None.</p>" : `<ul>${entries.join("")}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Lumen verification evaluation ${esc(report.createdAt)}</title><style>${CSS}</style></head><body>
<h1>Lumen face verification evaluation (ISO/IEC 19795-1)</h1>
<p class="small">Created ${esc(report.createdAt)} · data <code>${esc(report.dataDir)}</code> · model <code>${esc(report.model.id)}</code> ${esc(report.model.version)} (SHA-256 <code>${esc(report.model.sha256)}</code>)<br>
Code version <code>${esc(p.code.version ?? "none")}</code> · commit <code>${esc(p.code.commit ?? "unknown")}</code>${p.code.dirty ? " (with uncommitted changes)" : ""}</p>
<h2>Summary</h2>${summary}
<p class="small">${esc(report.comparison)}. Genuine pairs: ${esc(report.sampling.genuinePairs)}. Impostor pairs: ${esc(report.sampling.impostorPairs)}. Images that failed to enrol take part in no pair.</p>
<h2>Face match per policy</h2>${policies}
<h2>Distances</h2>${distances}
${detPlot([{ name: "face distance", colour: "#1f4e9c", points: curve }], marker, { x: "FMR", y: "FNMR" })}
<p class="small">The circle marks the threshold in force.</p>
<h2>Failure to enrol (${failures.length})</h2>${list(failures.map((i) => `<li><code>${esc(i.path)}</code>: ${esc(i.failure ?? "")}</li>`))}
<h2>Skipped (${report.skipped.length})</h2>${list(report.skipped.map((s) => `<li><code>${esc(s.path)}</code>: ${esc(s.error)}</li>`))}
</body></html>
`;
}
