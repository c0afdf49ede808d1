// Pieces both HTML reports (presentation attacks and verification) are built from: escaping,
// number formats, tables, the stylesheet and the SVG curves.
import type { OperatingPoint } from "./metrics.ts";

/** Escapes text for HTML content and attribute values. */
export const esc = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A rate as a percentage with one decimal; `–` for a missing value. */
export const pct = (v: number | null | undefined): string =>
  v === null || v === undefined || Number.isNaN(v) ? "–" : `${(v * 100).toFixed(1)}%`;

/** A number with `digits` decimals; `–` for a missing value. */
export const num = (v: number | null | undefined, digits = 3): string =>
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

/** One curve of a chart, its points in the presentation-attack terms of `metrics.ts`. */
export interface Curve {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly OperatingPoint[];
}

const PLOT = { size: 320, pad: 44 };

/** A square chart's frame, grid, tick labels and axis names. */
export function axes(
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

/** A square SVG chart of `curves`, with an optional marker at the threshold in force. */
export function plot(
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

/**
 * The DET curve on normal-deviate axes: the first rate (APCER, or FMR) across, the second
 * (BPCER, or FNMR) up; `names` gives the axes' names.
 */
export function detPlot(
  curves: readonly Curve[],
  marker: [number, number] | null,
  names: { readonly x: string; readonly y: string } = { x: "APCER", y: "BPCER" },
): string {
  const ticks = DET_TICKS.map((v) => ({
    v,
    label: v < 0.01 ? `${v * 100}%` : `${Math.round(v * 100)}%`,
  }));
  return plot(
    curves,
    (p) => [detScale(p.apcer), detScale(p.bpcer)],
    axes(ticks, `${names.x} (normal-deviate scale)`, names.y, detScale),
    marker && [detScale(marker[0]), detScale(marker[1])],
    "DET curve (points at 0 or 1 are drawn at 0.1% or 99.9%)",
  );
}

/** An HTML table; cells are HTML already (escape text with {@link esc}). */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

/** The reports' stylesheet, inlined so a report is one self-contained file. */
export const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1d2330}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #d7dbe3}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d7dbe3;padding:.25em .6em;text-align:left}
th{background:#f1f3f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
.rejected{color:#8a1c1c}.accepted{color:#17612d}code{font-size:.95em}
figure{display:inline-block;margin:.5em 1em .5em 0;vertical-align:top}figcaption{font-size:.85em;color:#4a5365}
svg text{font-size:10px;fill:#4a5365}.frame{fill:none;stroke:#8891a3}.grid{stroke:#e5e8ee}
.mark{fill:none;stroke:#c0392b;stroke-width:2}.thr{stroke:#c0392b;stroke-dasharray:3 2}.axis{stroke:#8891a3}
.bar-bona{fill:#2e7d4f}.bar-attack{fill:#b03a2e}.small{font-size:.85em;color:#4a5365}`;
