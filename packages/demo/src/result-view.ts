import type { FlashColour, FrameLight, SessionAnalysis } from "@lumen/protocol";
import { el, type Child } from "./el.ts";
import { renderMatch } from "./match-view.ts";
import { REASON_EXPLANATIONS } from "./reason-explanations.ts";
import { auditFrameUrl } from "./rp-client.ts";
import type { RpResult } from "./rp-types.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

function svg(
  tag: string,
  attributes: Readonly<Record<string, string | number>> = {},
  ...children: Child[]
): SVGElement {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children.filter((child): child is Node | string => child !== null));
  return node;
}

const DECISION_TEXT = {
  pass: "Passed: a live person was verified",
  fail: "Failed: not verified",
  review: "Needs review: a person should look at this session",
} as const;

const COLOUR_NAMES: Readonly<Record<FlashColour, string>> = {
  "#000000": "dark",
  "#ff0000": "red",
  "#00ff00": "green",
  "#0000ff": "blue",
  "#ffff00": "yellow",
  "#ff00ff": "magenta",
  "#00ffff": "cyan",
};

function fixed(value: number | null, digits = 2): string {
  return value === null ? "–" : value.toFixed(digits);
}

/** A linear map from `[domainMin, domainMax]` to `[rangeMin, rangeMax]`. */
function scale(domainMin: number, domainMax: number, rangeMin: number, rangeMax: number) {
  const span = domainMax - domainMin || 1;
  return (value: number): number => rangeMin + ((value - domainMin) / span) * (rangeMax - rangeMin);
}

function table(
  caption: string,
  head: readonly string[],
  rows: readonly (readonly (string | Node)[])[],
  rowAttributes: readonly Readonly<Record<string, string>>[] = [],
) {
  return el(
    "table",
    {},
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...head.map((cell) => el("th", { scope: "col" }, cell)))),
    el(
      "tbody",
      {},
      ...rows.map((row, i) =>
        el("tr", rowAttributes[i] ?? {}, ...row.map((cell) => el("td", {}, cell))),
      ),
    ),
  );
}

/** An SVG chart with its accessible name and description, and its data as tables beside it. */
function chart(
  id: string,
  title: string,
  description: string,
  body: readonly SVGElement[],
  data: readonly HTMLTableElement[],
  size: { readonly width: number; readonly height: number },
  legend: readonly (readonly [className: string, text: string])[],
): HTMLElement {
  return el(
    "figure",
    { class: "chart", "data-chart": id },
    el("figcaption", {}, title),
    // The SVG's own text alternative is its title and desc; the legend is for sighted readers.
    el(
      "ul",
      { class: "legend", "aria-hidden": "true" },
      ...legend.map(([className, text]) => el("li", { class: className }, text)),
    ),
    svg(
      "svg",
      {
        role: "img",
        viewBox: `0 0 ${String(size.width)} ${String(size.height)}`,
        "aria-labelledby": `${id}-title ${id}-desc`,
      },
      svg("title", { id: `${id}-title` }, title),
      svg("desc", { id: `${id}-desc` }, description),
      ...body,
    ),
    el("details", {}, el("summary", {}, "Show the numbers"), ...data),
  );
}

const FRAME_CHART = { width: 640, height: 260, left: 48, right: 48, top: 16, bottom: 36 };

function frameChart(analysis: SessionAnalysis): HTMLElement {
  const { frames, thresholds } = analysis;
  const { width, height, left, right, top, bottom } = FRAME_CHART;
  const t0 = frames[0]?.capturedAt ?? 0;
  const seconds = frames.map((frame) => (frame.capturedAt - t0) / 1000);
  const x = scale(0, Math.max(...seconds, 0.001), left, width - right);
  const logits = frames.flatMap((frame) => (frame.liveness === null ? [] : [frame.liveness]));
  const logitMin = Math.min(-4, thresholds.liveness - 1, ...logits);
  const logitMax = Math.max(4, thresholds.liveness + 1, ...logits);
  const yLogit = scale(logitMin, logitMax, height - bottom, top);
  const yReal = scale(0, 1, height - bottom, top);
  const body: SVGElement[] = [
    svg("rect", {
      class: "plot",
      x: left,
      y: top,
      width: width - left - right,
      height: height - top - bottom,
    }),
    svg("line", {
      class: "threshold liveness",
      x1: left,
      x2: width - right,
      y1: yLogit(thresholds.liveness),
      y2: yLogit(thresholds.liveness),
    }),
    svg("line", {
      class: "threshold realness",
      x1: left,
      x2: width - right,
      y1: yReal(thresholds.realness),
      y2: yReal(thresholds.realness),
    }),
    svg(
      "text",
      { class: "axis liveness", x: left - 6, y: top + 10, "text-anchor": "end" },
      logitMax.toFixed(0),
    ),
    svg(
      "text",
      { class: "axis liveness", x: left - 6, y: height - bottom, "text-anchor": "end" },
      logitMin.toFixed(0),
    ),
    svg("text", { class: "axis realness", x: width - right + 6, y: top + 10 }, "1"),
    svg("text", { class: "axis realness", x: width - right + 6, y: height - bottom }, "0"),
    svg(
      "text",
      { class: "axis", x: (left + width - right) / 2, y: height - 8, "text-anchor": "middle" },
      `capture time (s), ${String(frames.length)} frames`,
    ),
  ];
  const line = (values: readonly (number | null)[], y: (value: number) => number): string =>
    values
      .flatMap((value, i) =>
        value === null ? [] : [`${x(seconds[i] ?? 0).toFixed(1)},${y(value).toFixed(1)}`],
      )
      .join(" ");
  body.push(
    svg("polyline", {
      class: "series liveness",
      points: line(
        frames.map((f) => f.liveness),
        yLogit,
      ),
    }),
    svg("polyline", {
      class: "series realness",
      points: line(
        frames.map((f) => f.realness),
        yReal,
      ),
    }),
  );
  frames.forEach((frame, i) => {
    const cx = x(seconds[i] ?? 0);
    if (frame.faces !== 1) {
      body.push(
        svg(
          "text",
          {
            class: "face-warning",
            x: cx,
            y: top + 12,
            "text-anchor": "middle",
            "data-faces": frame.faces,
          },
          "×",
        ),
      );
    }
    if (frame.liveness !== null)
      body.push(svg("circle", { class: "point liveness", cx, cy: yLogit(frame.liveness), r: 3 }));
    if (frame.realness !== null)
      body.push(svg("circle", { class: "point realness", cx, cy: yReal(frame.realness), r: 3 }));
  });
  const odd = frames.filter((frame) => frame.faces !== 1).length;
  return chart(
    "frames",
    "Per-frame scores over capture time",
    `Liveness logit (left axis, threshold ${fixed(thresholds.liveness)}) and realness (right axis, 0 to 1, threshold ${fixed(thresholds.realness)}) for each of ${String(frames.length)} frames; ${String(odd)} frame(s) with no face or several faces are marked with a cross.`,
    body,
    [
      table(
        "Per-frame scores",
        ["Time (s)", "Faces", "Liveness logit", "Realness", "Yaw (°)", "Pitch (°)", "Step"],
        frames.map((frame, i) => [
          (seconds[i] ?? 0).toFixed(2),
          String(frame.faces),
          fixed(frame.liveness),
          fixed(frame.realness),
          fixed(frame.yawDegrees, 1),
          fixed(frame.pitchDegrees, 1),
          stepCell(frame, analysis.illumination?.steps ?? []),
        ]),
      ),
    ],
    FRAME_CHART,
    [
      ["liveness", "liveness logit (left axis)"],
      ["realness", "realness (right axis)"],
      ["threshold", "policy thresholds"],
      ["face-warning", "× frame without exactly one face"],
    ],
  );
}

type Illumination = NonNullable<SessionAnalysis["illumination"]>;
type IlluminationStepResult = Illumination["steps"][number];
type AnalysedFrame = SessionAnalysis["frames"][number];
type LightSeries = keyof FrameLight;

/** The lines of the illumination chart: the face's regions (the person's left and right), then the background. */
const LIGHT_SERIES: readonly (readonly [key: LightSeries, className: string, name: string])[] = [
  ["forehead", "forehead", "forehead"],
  ["nose", "nose", "nose"],
  ["leftCheek", "left-cheek", "left cheek"],
  ["rightCheek", "right-cheek", "right cheek"],
  ["chin", "chin", "chin"],
  ["background", "background", "background ring"],
];

function isDark(step: Pick<IlluminationStepResult, "colours">): boolean {
  return step.colours.every((colour) => colour === "#000000");
}

/** The step's colours in words: one colour, or which half of the screen showed which. */
function coloursText(step: Pick<IlluminationStepResult, "pattern" | "colours">): string {
  const [first, second] = [COLOUR_NAMES[step.colours[0]], COLOUR_NAMES[step.colours[1]]];
  if (step.pattern === "left-right") return `left ${first}, right ${second}`;
  if (step.pattern === "top-bottom") return `top ${first}, bottom ${second}`;
  return first;
}

function stepText(index: number, step: Pick<IlluminationStepResult, "pattern" | "colours">) {
  return `${String(index + 1)} ${step.pattern}: ${coloursText(step)}`;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

/**
 * Each series' response per frame: its linear light over its median in the dark steps, minus 1,
 * averaged over the colour channels (the measure the server's per-step `response` uses). The
 * reference falls back to every frame with light when no frame fell in a dark step.
 */
function lightResponses(
  frames: readonly AnalysedFrame[],
  steps: readonly IlluminationStepResult[],
): { readonly reference: "dark" | "all"; readonly series: Map<LightSeries, (number | null)[]> } {
  const lit = frames.filter((frame) => frame.light !== null);
  const dark = lit.filter((frame) => {
    const step = frame.illuminationStep === null ? undefined : steps[frame.illuminationStep];
    return step !== undefined && isDark(step);
  });
  const reference = dark.length > 0 ? dark : lit;
  const series = new Map<LightSeries, (number | null)[]>();
  for (const [key] of LIGHT_SERIES) {
    const rgbs = reference.flatMap((frame) => {
      const rgb = frame.light?.[key];
      return rgb ? [rgb] : [];
    });
    const base = [0, 1, 2].map((c) => median(rgbs.map((rgb) => rgb[c] ?? 0)));
    series.set(
      key,
      frames.map((frame) => {
        const rgb = frame.light?.[key];
        if (!rgb) return null;
        const ratios = base.flatMap((b, c) => (b !== null && b > 0 ? [(rgb[c] ?? 0) / b - 1] : []));
        return ratios.length === 0 ? null : ratios.reduce((sum, r) => sum + r, 0) / ratios.length;
      }),
    );
  }
  return { reference: dark.length > 0 ? "dark" : "all", series };
}

/** Where each shown step was lit as the camera saw it: from its `shownAt` plus the measured lag to the next one's. */
function stepSpans(illumination: Illumination): ({ fromMs: number; toMs: number } | null)[] {
  const lag = illumination.lagMs ?? 0;
  return illumination.steps.map((step, i) => {
    if (step.shownAt === null) return null;
    const fromMs = step.shownAt + lag;
    const next = illumination.steps[i + 1]?.shownAt ?? null;
    return {
      fromMs,
      toMs: Math.max(fromMs, next === null ? fromMs + step.durationMs : next + lag),
    };
  });
}

const ILLUMINATION_CHART = {
  width: 640,
  height: 290,
  left: 48,
  right: 48,
  top: 16,
  bottom: 66,
  bandHeight: 18,
};

function illuminationChart(analysis: SessionAnalysis, illumination: Illumination): HTMLElement {
  const { frames } = analysis;
  const { steps } = illumination;
  const { minResponse } = analysis.thresholds.illumination;
  const { width, height, left, right, top, bottom, bandHeight } = ILLUMINATION_CHART;
  const plotBottom = height - bottom;
  const t0 = frames[0]?.capturedAt ?? 0;
  const seconds = frames.map((frame) => (frame.capturedAt - t0) / 1000);
  // The same time axis as the per-frame chart above it, so the two line up.
  const end = Math.max(...seconds, 0.001);
  const x = scale(0, end, left, width - right);
  const { reference, series } = lightResponses(frames, steps);
  const values = [...series.values()].flat().filter((v): v is number => v !== null);
  const stepResponses = steps.flatMap((step) => (step.response === null ? [] : [step.response]));
  const yMin = Math.min(-0.05, ...values, ...stepResponses);
  const yMax = Math.max(minResponse * 2, 0.1, ...values, ...stepResponses);
  const y = scale(yMin, yMax, plotBottom, top);
  const body: SVGElement[] = [
    svg("rect", {
      class: "plot",
      x: left,
      y: top,
      width: width - left - right,
      height: plotBottom - top,
    }),
    svg("line", { class: "zero", x1: left, x2: width - right, y1: y(0), y2: y(0) }),
    svg("line", {
      class: "threshold illumination",
      x1: left,
      x2: width - right,
      y1: y(minResponse),
      y2: y(minResponse),
    }),
    svg("text", { class: "axis", x: left - 6, y: top + 10, "text-anchor": "end" }, yMax.toFixed(2)),
    svg(
      "text",
      { class: "axis", x: left - 6, y: plotBottom, "text-anchor": "end" },
      yMin.toFixed(2),
    ),
  ];
  const bandTop = plotBottom + 4;
  let drawn = 0;
  stepSpans(illumination).forEach((span, i) => {
    const step = steps[i];
    if (span === null || step === undefined) return;
    const from = Math.max(0, (span.fromMs - t0) / 1000);
    const to = Math.min(end, (span.toMs - t0) / 1000);
    if (to <= from) return;
    drawn++;
    const x0 = x(from);
    const bandWidth = Math.max(x(to) - x0, 1);
    const halves: readonly (readonly [half: string, colour: FlashColour, y: number, h: number])[] =
      step.pattern === "full"
        ? [["whole", step.colours[0], bandTop, bandHeight]]
        : [
            ["first", step.colours[0], bandTop, bandHeight / 2],
            ["second", step.colours[1], bandTop + bandHeight / 2, bandHeight / 2],
          ];
    for (const [half, colour, bandY, h] of halves) {
      body.push(
        svg(
          "rect",
          {
            class: "band",
            x: x0,
            y: bandY,
            width: bandWidth,
            height: h,
            fill: colour,
            "data-step": i,
            "data-pattern": step.pattern,
            "data-half": half,
            "data-from-ms": Math.round(span.fromMs - t0),
          },
          svg("title", {}, stepText(i, step)),
        ),
      );
    }
    body.push(
      svg(
        "text",
        {
          class: "axis step-number",
          x: x0 + bandWidth / 2,
          y: bandTop + bandHeight + 12,
          "text-anchor": "middle",
        },
        String(i + 1),
      ),
    );
    if (step.response !== null) {
      body.push(
        svg("line", {
          class: "step-response",
          x1: x0,
          x2: x0 + bandWidth,
          y1: y(step.response),
          y2: y(step.response),
          "data-step": i,
        }),
      );
    }
  });
  for (const [key, className] of LIGHT_SERIES) {
    const points = (series.get(key) ?? [])
      .flatMap((value, i) =>
        value === null ? [] : [`${x(seconds[i] ?? 0).toFixed(1)},${y(value).toFixed(1)}`],
      )
      .join(" ");
    body.push(svg("polyline", { class: `series region ${className}`, "data-region": key, points }));
  }
  const lag = illumination.lagMs;
  body.push(
    svg(
      "text",
      { class: "axis", x: (left + width - right) / 2, y: height - 8, "text-anchor": "middle" },
      `capture time (s); steps shifted by the camera lag${lag === null ? " (none measured)" : ` of ${fixed(lag, 0)} ms`}`,
    ),
  );
  const split = steps.filter((step) => step.pattern !== "full").length;
  const unshown = steps.filter((step) => step.shownAt === null).length;
  return chart(
    "illumination",
    "The face's response to the screen's light sequence",
    [
      `${String(steps.length)} illumination steps (${String(split)} split), ${String(drawn)} drawn as coloured bands along the time axis`,
      lag === null
        ? ", not shifted: no camera lag was measured"
        : `, shifted by the measured camera lag of ${fixed(lag, 0)} ms`,
      unshown > 0 ? ` (${String(unshown)} never reported shown)` : "",
      "; a split step is two half-height bands, the screen's left or top half above its right or bottom half. ",
      `Lines: each face region's response per frame, its light over its median ${reference === "dark" ? "in the dark steps" : "in all frames (no frame fell in a dark step)"} minus 1, averaged over the colour channels, for the forehead, nose, left cheek, right cheek and chin (the person's left and right); dashed: the background ring around the face. `,
      `Short bars over each step: the server's mean response to it, against the minimum ${fixed(minResponse, 3)}.`,
    ].join(""),
    body,
    [
      table(
        "Illumination steps",
        ["#", "Pattern", "Colours", "Shown at (s)", "Duration (ms)", "Response"],
        steps.map((step, i) => [
          String(i + 1),
          step.pattern,
          coloursText(step),
          relativeSeconds(step.shownAt, analysis),
          String(step.durationMs),
          fixed(step.response, 3),
        ]),
      ),
      table(
        "Response per frame and region",
        ["Time (s)", "Step", ...LIGHT_SERIES.map(([, , name]) => name)],
        frames.map((frame, i) => [
          (seconds[i] ?? 0).toFixed(2),
          stepCell(frame, steps),
          ...LIGHT_SERIES.map(([key]) => fixed(series.get(key)?.[i] ?? null, 3)),
        ]),
      ),
    ],
    ILLUMINATION_CHART,
    [
      ...LIGHT_SERIES.map(([, className, name]): readonly [string, string] => [
        `region ${className}`,
        name,
      ]),
      ["step-response", "step's mean response"],
      ["threshold", "minimum response"],
      ["band", "▬ step colours (split: two halves)"],
    ],
  );
}

function stepCell(frame: AnalysedFrame, steps: readonly IlluminationStepResult[]): string {
  const step = frame.illuminationStep === null ? undefined : steps[frame.illuminationStep];
  return frame.illuminationStep === null || step === undefined
    ? "–"
    : stepText(frame.illuminationStep, step);
}

const SPLIT_CHART = { width: 640, height: 220, left: 48, right: 16, top: 16, bottom: 44 };

function splitChart(analysis: SessionAnalysis, illumination: Illumination): HTMLElement {
  const { width, height, left, right, top, bottom } = SPLIT_CHART;
  const { minShapeAgreement } = analysis.thresholds.illumination;
  const splits = illumination.steps.flatMap((step, i) =>
    step.pattern === "full" ? [] : [{ step, index: i }],
  );
  if (splits.length === 0) {
    return el(
      "p",
      { class: "no-splits" },
      "The sequence had no split step to test the face's shape.",
    );
  }
  const magnitudes = splits.flatMap(({ step }) =>
    step.sideContrast === null
      ? []
      : [Math.abs(step.sideContrast.observed), Math.abs(step.sideContrast.predicted)],
  );
  const m = Math.max(0.05, ...magnitudes);
  const y = scale(-m, m, height - bottom, top);
  const slot = (width - left - right) / splits.length;
  const body: SVGElement[] = [
    svg("rect", {
      class: "plot",
      x: left,
      y: top,
      width: width - left - right,
      height: height - top - bottom,
    }),
    svg("line", { class: "zero", x1: left, x2: width - right, y1: y(0), y2: y(0) }),
    svg("text", { class: "axis", x: left - 6, y: top + 10, "text-anchor": "end" }, m.toFixed(2)),
    svg(
      "text",
      { class: "axis", x: left - 6, y: height - bottom, "text-anchor": "end" },
      (-m).toFixed(2),
    ),
  ];
  splits.forEach(({ step, index }, i) => {
    const centre = left + slot * (i + 0.5);
    const barWidth = Math.min(slot * 0.3, 40);
    const contrast = step.sideContrast;
    if (contrast === null) {
      body.push(
        svg(
          "text",
          {
            class: "axis missing",
            x: centre,
            y: y(0) - 4,
            "text-anchor": "middle",
            "data-step": index,
          },
          "not measured",
        ),
      );
    } else {
      for (const [kind, value, bx] of [
        ["observed", contrast.observed, centre - barWidth],
        ["predicted", contrast.predicted, centre],
      ] as const) {
        body.push(
          svg("rect", {
            class: `bar ${kind}`,
            x: bx,
            y: Math.min(y(value), y(0)),
            width: barWidth,
            height: Math.max(Math.abs(y(value) - y(0)), 1),
            "data-step": index,
          }),
        );
      }
    }
    body.push(
      svg(
        "text",
        { class: "axis", x: centre, y: height - bottom + 14, "text-anchor": "middle" },
        `${String(index + 1)} ${step.pattern}`,
      ),
      svg(
        "text",
        { class: "axis", x: centre, y: height - bottom + 28, "text-anchor": "middle" },
        step.colours.map((colour) => COLOUR_NAMES[colour]).join(" | "),
      ),
    );
  });
  return chart(
    "side-contrast",
    "Side contrast of split steps: measured against the face mesh's prediction",
    `${String(splits.length)} split steps. For each, the measured difference of light between the face's two sides (filled bar: left minus right cheek, or forehead minus chin) and the difference the server's face mesh predicts for a screen-sized light in front of a real face (outlined bar); on a real, three-dimensional face both point the same way with a similar size. The regression slope of measured on predicted, the shape agreement, is ${fixed(illumination.shapeAgreement)} against a minimum of ${fixed(minShapeAgreement)}.`,
    body,
    [
      table(
        "Side contrast of split steps",
        ["Step", "Pattern", "Colours", "Observed", "Predicted", "Same direction"],
        splits.map(({ step, index }) => [
          String(index + 1),
          step.pattern,
          coloursText(step),
          fixed(step.sideContrast?.observed ?? null, 3),
          fixed(step.sideContrast?.predicted ?? null, 3),
          step.sideContrast === null
            ? "–"
            : Math.sign(step.sideContrast.observed) === Math.sign(step.sideContrast.predicted)
              ? "yes"
              : "no",
        ]),
      ),
    ],
    SPLIT_CHART,
    [
      ["bar observed", "measured"],
      ["bar predicted", "predicted by the face mesh"],
    ],
  );
}

interface IlluminationCheck {
  readonly id: string;
  readonly name: string;
  readonly measured: string;
  readonly bound: string;
  /** `null`: the server could not measure it. */
  readonly ok: boolean | null;
}

function illuminationChecks(analysis: SessionAnalysis, illumination: Illumination) {
  const bounds = analysis.thresholds.illumination;
  const { lagMs, correlation, shapeAgreement, backgroundRatio } = illumination;
  const checked = (value: number | null, ok: (v: number) => boolean) =>
    value === null ? null : ok(value);
  return [
    {
      id: "lag",
      name: "Camera lag",
      measured: lagMs === null ? "–" : `${fixed(lagMs, 0)} ms`,
      bound: `${fixed(bounds.lagMs.min, 0)}–${fixed(bounds.lagMs.max, 0)} ms`,
      ok: checked(lagMs, (v) => v >= bounds.lagMs.min && v <= bounds.lagMs.max),
    },
    {
      id: "correlation",
      name: "Correlation with the sequence",
      measured: fixed(correlation),
      bound: `≥ ${fixed(bounds.minCorrelation)}`,
      ok: checked(correlation, (v) => v >= bounds.minCorrelation),
    },
    {
      id: "shape",
      name: "Shape agreement (split steps)",
      measured: fixed(shapeAgreement),
      bound: `≥ ${fixed(bounds.minShapeAgreement)}`,
      ok: checked(shapeAgreement, (v) => v >= bounds.minShapeAgreement),
    },
    {
      id: "background",
      name: "Background ratio",
      measured: fixed(backgroundRatio),
      bound: `≤ ${fixed(bounds.maxBackgroundRatio)}`,
      ok: checked(backgroundRatio, (v) => v <= bounds.maxBackgroundRatio),
    },
  ] as const satisfies readonly IlluminationCheck[];
}

function mark(ok: boolean | null): HTMLElement {
  const [className, symbol, text] =
    ok === null
      ? ["mark none", "–", "not measured"]
      : ok
        ? ["mark ok", "✓", "within bound"]
        : ["mark bad", "✗", "out of bound"];
  return el(
    "span",
    { class: className },
    el("span", { "aria-hidden": "true" }, symbol),
    el("span", { class: "visually-hidden" }, text),
  );
}

function illuminationSummary(analysis: SessionAnalysis, illumination: Illumination): HTMLElement {
  const checks: readonly IlluminationCheck[] = illuminationChecks(analysis, illumination);
  const within = checks.filter((check) => check.ok === true).length;
  const unmeasured = checks.filter((check) => check.ok === null).length;
  return el(
    "div",
    { class: "illumination-checks" },
    el(
      "p",
      { class: "illumination-summary" },
      `${String(within)} of ${String(checks.length)} illumination checks within the policy's bounds${unmeasured > 0 ? `; ${String(unmeasured)} not measured` : ""}.`,
    ),
    table(
      "Illumination checks",
      ["Check", "Measured", "Bound", "Result"],
      checks.map((check) => [check.name, check.measured, check.bound, mark(check.ok)]),
      checks.map((check) => ({ "data-check": check.id, "data-ok": String(check.ok) })),
    ),
  );
}

function illuminationSection(analysis: SessionAnalysis): HTMLElement {
  const { illumination } = analysis;
  if (illumination === null || illumination.steps.length === 0) {
    return el(
      "p",
      { class: "no-illumination", "data-illumination": "none" },
      "No light sequence was shown (no-flash policy): the screen's reflection on the face was not checked.",
    );
  }
  return el(
    "div",
    { class: "illumination", "data-illumination": "measured" },
    el("h4", {}, "The screen's light on the face"),
    illuminationSummary(analysis, illumination),
    illuminationChart(analysis, illumination),
    splitChart(analysis, illumination),
  );
}

function relativeSeconds(at: number | null, analysis: SessionAnalysis): string {
  const t0 = analysis.frames[0]?.capturedAt;
  if (at === null) return "not shown";
  return t0 === undefined ? "–" : ((at - t0) / 1000).toFixed(2);
}

function posesTable(analysis: SessionAnalysis): HTMLElement {
  const { poses, thresholds } = analysis;
  return el(
    "div",
    { class: "poses", "data-poses": String(poses.length) },
    table(
      "Head-turn prompts",
      ["#", "Asked", "Shown at (s)", "Peak turn (°)", "Needed (°)", "Reached"],
      poses.map((pose, i) => [
        String(i + 1),
        pose.direction,
        relativeSeconds(pose.shownAt, analysis),
        fixed(pose.peakDegrees, 1),
        fixed(
          pose.direction === "left" || pose.direction === "right"
            ? thresholds.poseDegrees.yaw
            : thresholds.poseDegrees.pitch,
          0,
        ),
        pose.reached ? "yes" : "no",
      ]),
    ),
  );
}

function verificationLine(result: RpResult): HTMLElement {
  if (result.session.verdict === null) {
    return el("p", { class: "signature none" }, "No verdict was issued for this session yet.");
  }
  if (result.verdictVerified) {
    return el(
      "p",
      { class: "signature ok" },
      "✓ The verdict's signature was verified against the server's key set (",
      el("code", {}, result.jwksUrl),
      ").",
    );
  }
  return el(
    "p",
    { class: "signature bad", role: "alert" },
    `✗ The verdict failed verification: ${result.verificationError ?? "unknown reason"}. Do not trust this decision.`,
  );
}

/** Options of {@link renderResult}. */
export interface ResultViewOptions {
  /** The reference image the person chose (an object URL the page owns), shown by the match. */
  readonly referenceImageUrl?: string;
}

/**
 * The relying party's view of a session after its backend verified the verdict: the decision,
 * whether the verdict's signature verified against the JWKS, each reason in plain language,
 * the document match (when the session had a reference image), per-frame score chart, the
 * illumination checks (the face's response to the screen's light sequence per region, and the
 * split steps' side contrast against the face mesh's prediction; hand-written SVG with data
 * tables), the head-turn prompts and the audit frames. The root carries `data-decision` and
 * each reason `data-reason`.
 *
 * @example
 * ```ts
 * renderResult(document.querySelector("main")!, await fetchRpResult(sessionId));
 * ```
 */
export function renderResult(
  container: HTMLElement,
  result: RpResult,
  options: ResultViewOptions = {},
): void {
  const { session, verdict } = result;
  // The signed claim when it verified; the session's unsigned field otherwise (flagged above it).
  const decision = verdict?.decision ?? session.decision;
  const reasons = verdict?.reasons ?? session.reasons;
  const match = verdict ? verdict.match : session.match;
  const root = el("section", {
    class: "rp-result",
    "data-decision": decision ?? "none",
    "data-verified": String(result.verdictVerified),
    "aria-labelledby": "rp-result-title",
  });
  root.append(
    el(
      "h2",
      { id: "rp-result-title", class: `decision ${decision ?? "none"}`, tabindex: "-1" },
      decision === null ? `No decision yet (session ${session.status})` : DECISION_TEXT[decision],
    ),
    verificationLine(result),
    el("p", { class: "session-id" }, "Session ", el("code", {}, session.sessionId)),
  );

  root.append(el("h3", {}, "Reasons"));
  root.append(
    reasons.length === 0
      ? el("p", { class: "no-reasons" }, "No reason against: every check passed.")
      : el(
          "ul",
          { class: "reasons" },
          ...reasons.map((code) =>
            el(
              "li",
              { "data-reason": code },
              el("strong", {}, code),
              " — ",
              REASON_EXPLANATIONS[code],
            ),
          ),
        ),
  );

  if (match !== null) {
    const [firstFrame] = session.auditFrames;
    root.append(
      renderMatch(match, {
        referenceKind: session.referenceImage?.kind ?? null,
        referenceImageUrl: options.referenceImageUrl ?? null,
        liveFrameUrl:
          firstFrame === undefined ? null : auditFrameUrl(session.sessionId, firstFrame),
      }),
    );
  }

  root.append(el("h3", {}, "What the server measured"));
  const { analysis } = session;
  if (analysis === null) {
    root.append(
      el(
        "p",
        { class: "no-analysis", "data-analysis": "none" },
        "No analysis: the server has none for this session (it is not completed, its re-check failed, or it expired or was deleted).",
      ),
    );
  } else {
    root.append(frameChart(analysis));
    root.append(illuminationSection(analysis));
    root.append(posesTable(analysis));
  }

  root.append(el("h3", {}, "Audit frames"));
  root.append(
    session.auditFrames.length === 0
      ? el("p", {}, "The server kept no audit frame for this session.")
      : el(
          "div",
          { class: "audit-frames" },
          ...session.auditFrames.map((n) =>
            el(
              "figure",
              {},
              el("img", {
                src: auditFrameUrl(session.sessionId, n),
                alt: `Audit frame ${String(n)} kept by the verification server`,
                width: "160",
                loading: "lazy",
              }),
              el("figcaption", {}, `Frame ${String(n)}`),
            ),
          ),
        ),
  );
  container.replaceChildren(root);
}
