import type { FlashColour, SessionAnalysis } from "@lumen/protocol";
import { REASON_EXPLANATIONS } from "./reason-explanations.ts";
import { auditFrameUrl } from "./rp-client.ts";
import type { RpResult } from "./rp-types.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

type Child = Node | string | null;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children.filter((child): child is Node | string => child !== null));
  return node;
}

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

function table(caption: string, head: readonly string[], rows: readonly (readonly string[])[]) {
  return el(
    "table",
    {},
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...head.map((cell) => el("th", { scope: "col" }, cell)))),
    el("tbody", {}, ...rows.map((row) => el("tr", {}, ...row.map((cell) => el("td", {}, cell))))),
  );
}

/** An SVG chart with its accessible name and description, and the data as a table beside it. */
function chart(
  id: string,
  title: string,
  description: string,
  body: readonly SVGElement[],
  data: HTMLTableElement,
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
    el("details", {}, el("summary", {}, "Show the numbers"), data),
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
    if (frame.flash !== null) {
      body.push(
        svg("rect", {
          class: "flash-tick",
          x: cx - 2,
          y: height - bottom + 2,
          width: 4,
          height: 6,
          fill: frame.flash,
        }),
      );
    }
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
    table(
      "Per-frame scores",
      ["Time (s)", "Faces", "Liveness logit", "Realness", "Yaw (°)", "Pitch (°)", "Flash"],
      frames.map((frame, i) => [
        (seconds[i] ?? 0).toFixed(2),
        String(frame.faces),
        fixed(frame.liveness),
        fixed(frame.realness),
        fixed(frame.yawDegrees, 1),
        fixed(frame.pitchDegrees, 1),
        frame.flash === null ? "–" : COLOUR_NAMES[frame.flash],
      ]),
    ),
    FRAME_CHART,
    [
      ["liveness", "liveness logit (left axis)"],
      ["realness", "realness (right axis)"],
      ["threshold", "policy thresholds"],
      ["face-warning", "× frame without exactly one face"],
      ["flash-tick", "▪ flash colour on screen"],
    ],
  );
}

const FLASH_CHART = { width: 640, height: 220, left: 48, right: 16, top: 16, bottom: 40 };

function flashChart(analysis: SessionAnalysis): HTMLElement {
  const { flashes, thresholds } = analysis;
  const { width, height, left, right, top, bottom } = FLASH_CHART;
  const responses = flashes.flatMap((flash) => (flash.response === null ? [] : [flash.response]));
  const max = Math.max(thresholds.flashResponse * 2, ...responses);
  const min = Math.min(0, ...responses);
  const y = scale(min, max, height - bottom, top);
  const slot = (width - left - right) / Math.max(flashes.length, 1);
  const body: SVGElement[] = [
    svg("rect", {
      class: "plot",
      x: left,
      y: top,
      width: width - left - right,
      height: height - top - bottom,
    }),
    svg("line", { class: "zero", x1: left, x2: width - right, y1: y(0), y2: y(0) }),
  ];
  flashes.forEach((flash, i) => {
    const x = left + slot * i + slot * 0.2;
    const barWidth = slot * 0.6;
    const value = flash.response ?? 0;
    body.push(
      svg("rect", {
        class: flash.response === null ? "bar missing" : "bar",
        x,
        y: Math.min(y(value), y(0)),
        width: barWidth,
        height: Math.max(Math.abs(y(value) - y(0)), 1),
        fill: flash.colour,
        "data-responded": String(flash.responded),
      }),
      svg(
        "text",
        { class: "axis", x: x + barWidth / 2, y: height - bottom + 14, "text-anchor": "middle" },
        COLOUR_NAMES[flash.colour],
      ),
      svg(
        "text",
        {
          class: flash.responded ? "mark ok" : "mark bad",
          x: x + barWidth / 2,
          y: height - bottom + 30,
          "text-anchor": "middle",
        },
        flash.responded ? "✓" : "✗",
      ),
    );
  });
  body.push(
    svg("line", {
      class: "threshold flash",
      x1: left,
      x2: width - right,
      y1: y(thresholds.flashResponse),
      y2: y(thresholds.flashResponse),
    }),
  );
  const responded = flashes.filter((flash) => flash.responded).length;
  return chart(
    "flashes",
    "Flash response against the requested sequence",
    `${String(flashes.length)} flashes requested; the face responded to ${String(responded)}. Each bar is the face's colour shift towards the flashed colour, against the threshold ${fixed(thresholds.flashResponse, 4)}.`,
    body,
    table(
      "Flash responses",
      ["#", "Colour", "Shown at (s)", "Duration (ms)", "Response", "Responded"],
      flashes.map((flash, i) => [
        String(i + 1),
        COLOUR_NAMES[flash.colour],
        relativeSeconds(flash.shownAt, analysis),
        String(flash.durationMs),
        fixed(flash.response, 4),
        flash.responded ? "yes" : "no",
      ]),
    ),
    FLASH_CHART,
    [
      ["bar", "bar: colour shift towards the flashed colour"],
      ["threshold", "threshold"],
      ["mark ok", "✓ responded"],
      ["mark bad", "✗ no response"],
    ],
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

/**
 * The relying party's view of a session after its backend verified the verdict: the decision,
 * whether the verdict's signature verified against the JWKS, each reason in plain language,
 * per-frame score and flash-response charts (hand-written SVG with data tables), the head-turn
 * prompts and the audit frames. The root carries `data-decision` and each reason `data-reason`.
 *
 * @example
 * ```ts
 * renderResult(document.querySelector("main")!, await fetchRpResult(sessionId));
 * ```
 */
export function renderResult(container: HTMLElement, result: RpResult): void {
  const { session, verdict } = result;
  // The signed claim when it verified; the session's unsigned field otherwise (flagged above it).
  const decision = verdict?.decision ?? session.decision;
  const reasons = verdict?.reasons ?? session.reasons;
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
    root.append(
      analysis.flashes.length > 0
        ? flashChart(analysis)
        : el("p", { class: "no-flashes" }, "No flashes were requested (no-flash policy)."),
    );
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
