// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from "vitest";
import { renderResult } from "../src/result-view.ts";
import { SessionAnalysis, type FaceMatch, type VerdictClaims } from "@lumen/protocol";
import type { RpResult } from "../src/rp-types.ts";

const SESSION_ID = "ses_AAAAAAAAAAAAAAAAAAAAAA";
const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);

type Rgb = [number, number, number];
type Light = NonNullable<SessionAnalysis["frames"][number]["light"]>;

/** A face's linear light in the dark steps, per region, and its background ring's. */
const DARK: Light = {
  forehead: [0.3, 0.2, 0.15],
  nose: [0.32, 0.21, 0.16],
  leftCheek: [0.28, 0.19, 0.14],
  rightCheek: [0.28, 0.19, 0.14],
  chin: [0.25, 0.17, 0.12],
  background: [0.1, 0.1, 0.1],
};

/** The dark light times a gain per region and channel (1 where not given). */
function lit(gains: Partial<Record<keyof Light, Rgb>> = {}): Light {
  const times = (rgb: Rgb, gain: Rgb = [1, 1, 1]): Rgb => [
    rgb[0] * gain[0],
    rgb[1] * gain[1],
    rgb[2] * gain[2],
  ];
  return {
    forehead: times(DARK.forehead, gains.forehead),
    nose: times(DARK.nose, gains.nose),
    leftCheek: times(DARK.leftCheek, gains.leftCheek),
    rightCheek: times(DARK.rightCheek, gains.rightCheek),
    chin: times(DARK.chin, gains.chin),
    background: DARK.background && times(DARK.background, gains.background),
  };
}

const RED: Rgb = [1.4, 1, 1];
const GREEN: Rgb = [1, 1.4, 1];
const BLUE: Rgb = [1, 1, 1.4];
const YELLOW: Rgb = [1.4, 1.4, 1];

function frame(
  at: number,
  illuminationStep: number | null,
  light: Light | null,
  scores: Partial<SessionAnalysis["frames"][number]> = {},
): SessionAnalysis["frames"][number] {
  return {
    capturedAt: T0 + at,
    faces: 1,
    liveness: 2,
    realness: 0.8,
    passive: { "minifasnet-v2-se": 2 },
    yawDegrees: 0,
    pitchDegrees: 0,
    illuminationStep,
    light,
    ...scores,
  };
}

/**
 * Five steps seen through a 50 ms camera lag: dark, red, a left-right split (red on the person's
 * left), dark, a top-bottom split (blue on top); nine frames 200 ms apart.
 */
const analysis: SessionAnalysis = SessionAnalysis.parse({
  frames: [
    frame(0, 0, lit(), { liveness: 2.5, realness: 0.9, yawDegrees: 1 }),
    frame(200, 0, null, {
      faces: 0,
      liveness: null,
      realness: null,
      yawDegrees: null,
      pitchDegrees: null,
    }),
    frame(400, 1, lit({ forehead: RED, nose: RED, leftCheek: RED, rightCheek: RED, chin: RED }), {
      faces: 2,
      liveness: -1.5,
      realness: 0.4,
      yawDegrees: 12,
      pitchDegrees: 1,
    }),
    frame(600, 2, lit({ leftCheek: RED, rightCheek: GREEN, forehead: [1.2, 1.2, 1] }), {
      liveness: 1.2,
      realness: 0.7,
      yawDegrees: -14,
      pitchDegrees: 2,
    }),
    frame(800, 2, lit({ leftCheek: RED, rightCheek: GREEN })),
    frame(1000, 3, lit({ background: [1.05, 1.05, 1.05] })),
    frame(1200, 4, lit({ forehead: BLUE, chin: YELLOW })),
    frame(1400, 4, lit({ forehead: BLUE, chin: YELLOW })),
    frame(1600, null, lit()),
  ],
  illumination: {
    steps: [
      {
        pattern: "full",
        colours: ["#000000", "#000000"],
        shownAt: T0 - 100,
        durationMs: 300,
        response: 0,
        sideContrast: null,
      },
      {
        pattern: "full",
        colours: ["#ff0000", "#ff0000"],
        shownAt: T0 + 200,
        durationMs: 300,
        response: 0.13,
        sideContrast: null,
      },
      {
        pattern: "left-right",
        colours: ["#ff0000", "#00ff00"],
        shownAt: T0 + 500,
        durationMs: 300,
        response: 0.08,
        sideContrast: { observed: 0.12, predicted: 0.15 },
      },
      {
        pattern: "full",
        colours: ["#000000", "#000000"],
        shownAt: T0 + 800,
        durationMs: 300,
        response: 0.01,
        sideContrast: null,
      },
      {
        pattern: "top-bottom",
        colours: ["#0000ff", "#ffff00"],
        shownAt: T0 + 1100,
        durationMs: 300,
        response: 0.09,
        sideContrast: { observed: -0.02, predicted: 0.1 },
      },
    ],
    lagMs: 50,
    correlation: 0.82,
    shapeAgreement: 0.3,
    backgroundRatio: 0.1,
  },
  poses: [
    { direction: "left", shownAt: T0 + 300, peakDegrees: 14.2, reached: true },
    { direction: "up", shownAt: null, peakDegrees: null, reached: false },
  ],
  thresholds: {
    liveness: 0,
    realness: 0.2,
    passiveFused: -3.5,
    illumination: {
      minResponse: 0.05,
      minCorrelation: 0.6,
      lagMs: { min: 0, max: 250 },
      minShapeAgreement: 0.5,
      maxBackgroundRatio: 0.4,
    },
    poseDegrees: { yaw: 10, pitch: 7 },
  },
});

/** The verified verdict of {@link result}'s session. */
const VERDICT: VerdictClaims = {
  iss: "http://127.0.0.1:8787",
  aud: "demo",
  sub: SESSION_ID,
  reference: "demo-x",
  decision: "fail",
  reasons: ["SPOOF_SUSPECTED", "CHALLENGE_FAILED"],
  match: null,
  models: {},
  iat: 1,
  exp: 2,
};

function result(
  overrides: Partial<RpResult> = {},
  session: Partial<RpResult["session"]> = {},
): RpResult {
  return {
    session: {
      sessionId: SESSION_ID,
      reference: "demo-x",
      status: "completed",
      decision: "fail",
      reasons: ["SPOOF_SUSPECTED", "CHALLENGE_FAILED"],
      scores: { livenessMedian: 1.2 },
      verdict: "header.payload.signature",
      referenceImage: null,
      match: null,
      auditFrames: [0, 3],
      analysis,
      ...session,
    },
    verdict: VERDICT,
    verdictVerified: true,
    verificationError: null,
    jwksUrl: "http://127.0.0.1:8787/.well-known/jwks.json",
    ...overrides,
  };
}

let container: HTMLElement;

beforeEach(() => {
  document.body.replaceChildren();
  container = document.createElement("div");
  document.body.append(container);
});

const root = () => container.querySelector<HTMLElement>(".rp-result");

describe("renderResult", () => {
  it("shows the verified decision and each reason with its explanation", () => {
    renderResult(container, result());
    expect(root()?.dataset.decision).toBe("fail");
    expect(root()?.dataset.verified).toBe("true");
    expect(container.querySelector("h2")?.textContent).toMatch(/^Failed/);
    expect(container.querySelector(".signature.ok")?.textContent).toContain("jwks.json");
    const reasons = [...container.querySelectorAll<HTMLElement>("[data-reason]")];
    expect(reasons.map((item) => item.dataset.reason)).toEqual([
      "SPOOF_SUSPECTED",
      "CHALLENGE_FAILED",
    ]);
    expect(reasons[0]?.textContent).toMatch(/presentation attack/);
    expect(reasons[1]?.textContent).toMatch(/head did not turn/);
  });

  it("warns loudly when the verdict did not verify, and falls back to the session's decision", () => {
    renderResult(
      container,
      result(
        {
          verdict: null,
          verdictVerified: false,
          verificationError: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed",
        },
        { decision: "pass", reasons: [] },
      ),
    );
    expect(root()?.dataset.decision).toBe("pass");
    expect(root()?.dataset.verified).toBe("false");
    const alert = container.querySelector('[role="alert"]');
    expect(alert?.textContent).toMatch(
      /failed verification: ERR_JWS_SIGNATURE_VERIFICATION_FAILED.*Do not trust/,
    );
    expect(container.querySelector(".no-reasons")).not.toBeNull();
  });

  it("draws the per-frame chart with threshold lines, markers for frames without exactly one face, and a table", () => {
    renderResult(container, result());
    const chart = container.querySelector('[data-chart="frames"]');
    const svg = chart?.querySelector('svg[role="img"]');
    const labelledBy = svg?.getAttribute("aria-labelledby")?.split(" ") ?? [];
    expect(labelledBy.map((id) => container.querySelector(`#${id}`)?.textContent)).toEqual([
      "Per-frame scores over capture time",
      expect.stringContaining("2 frame(s) with no face or several faces"),
    ]);
    expect(svg?.querySelectorAll(".threshold").length).toBe(2);
    expect(
      [...(svg?.querySelectorAll(".face-warning") ?? [])].map((mark) =>
        mark.getAttribute("data-faces"),
      ),
    ).toEqual(["0", "2"]);
    // Frames without scores draw no point.
    expect(svg?.querySelectorAll("circle.liveness").length).toBe(8);
    expect(svg?.querySelectorAll("circle.realness").length).toBe(8);
    // Higher logits sit higher: y grows downwards.
    const ys = [...(svg?.querySelectorAll("circle.liveness") ?? [])].map((c) =>
      Number(c.getAttribute("cy")),
    );
    expect(ys[0]).toBeLessThan(ys[1] ?? 0);
    const rows = [...(chart?.querySelectorAll("tbody tr") ?? [])].map((row) =>
      [...row.querySelectorAll("td")].map((cell) => cell.textContent),
    );
    expect(rows.length).toBe(9);
    expect(rows[2]).toEqual(["0.40", "2", "-1.50", "0.40", "12.0", "1.0", "2 full: red"]);
    expect(rows[3]?.at(-1)).toBe("3 left-right: left red, right green");
    expect(rows[8]?.at(-1)).toBe("–");
  });

  it("draws the illumination sequence as bands along the time axis, shifted by the camera lag", () => {
    renderResult(container, result());
    const chart = container.querySelector('[data-chart="illumination"]');
    const bands = [...(chart?.querySelectorAll<SVGRectElement>("rect.band") ?? [])];
    const attr = (name: string) => bands.map((band) => band.getAttribute(name));
    // A full step is one band, a split step two half-height bands.
    expect(attr("data-step")).toEqual(["0", "1", "2", "2", "3", "4", "4"]);
    expect(attr("data-half")).toEqual([
      "whole",
      "whole",
      "first",
      "second",
      "whole",
      "first",
      "second",
    ]);
    expect(attr("fill")).toEqual([
      "#000000",
      "#ff0000",
      "#ff0000",
      "#00ff00",
      "#000000",
      "#0000ff",
      "#ffff00",
    ]);
    const heights = attr("height").map(Number);
    expect(heights[2]).toBe((heights[1] ?? 0) / 2);
    expect(Number(bands[3]?.getAttribute("y"))).toBe(
      Number(bands[2]?.getAttribute("y")) + (heights[2] ?? 0),
    );
    // Each band starts at its step's shownAt plus the 50 ms lag, and ends where the next starts.
    expect(attr("data-from-ms")).toEqual(["-50", "250", "550", "550", "850", "1150", "1150"]);
    const end = (band: SVGRectElement | undefined) =>
      Number(band?.getAttribute("x")) + Number(band?.getAttribute("width"));
    expect(end(bands[1])).toBeCloseTo(Number(bands[2]?.getAttribute("x")), 5);
    expect(chart?.querySelector("desc")?.textContent).toMatch(
      /5 illumination steps \(2 split\), 5 drawn as coloured bands.*shifted by the measured camera lag of 50 ms/,
    );
    // The server's mean response per step, over its band, against the minimum.
    expect(chart?.querySelectorAll("line.step-response").length).toBe(5);
    expect(chart?.querySelectorAll(".threshold.illumination").length).toBe(1);
    const steps = [...(chart?.querySelectorAll("table")[0]?.querySelectorAll("tbody tr") ?? [])];
    expect(steps.map((row) => row.querySelectorAll("td")[2]?.textContent)).toEqual([
      "dark",
      "red",
      "left red, right green",
      "dark",
      "top blue, bottom yellow",
    ]);
  });

  it("draws one line per face region and a dashed background line, relative to the dark steps", () => {
    renderResult(container, result());
    const chart = container.querySelector('[data-chart="illumination"]');
    const lines = [...(chart?.querySelectorAll("polyline.region") ?? [])];
    expect(lines.map((line) => line.getAttribute("data-region"))).toEqual([
      "forehead",
      "nose",
      "leftCheek",
      "rightCheek",
      "chin",
      "background",
    ]);
    expect(lines.at(-1)?.getAttribute("class")).toContain("background");
    // Every frame with light is a point: all but the faceless one.
    const points = (i: number) =>
      (lines[i]?.getAttribute("points") ?? "").split(" ").map((p) => p.split(",").map(Number));
    expect(points(0).length).toBe(8);
    // The person's left cheek brightens under the red left half, and sits above zero there.
    const zero = Number(chart?.querySelector("line.zero")?.getAttribute("y1"));
    expect(points(2)[3]?.[1]).toBeLessThan(zero);
    expect(points(2)[0]?.[1]).toBeCloseTo(zero, 1);
    const rows = [...(chart?.querySelectorAll("table")[1]?.querySelectorAll("tbody tr") ?? [])].map(
      (row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent),
    );
    expect(rows[3]).toEqual([
      "0.60",
      "3 left-right: left red, right green",
      "0.133",
      "0.000",
      "0.133",
      "0.133",
      "0.000",
      "-0.024",
    ]);
    expect(rows[1]?.slice(2)).toEqual(["–", "–", "–", "–", "–", "–"]);
  });

  it("compares each split step's side contrast with the face mesh's prediction", () => {
    renderResult(container, result());
    const chart = container.querySelector('[data-chart="side-contrast"]');
    expect(chart?.querySelectorAll("rect.bar.observed").length).toBe(2);
    expect(chart?.querySelectorAll("rect.bar.predicted").length).toBe(2);
    const rows = [...(chart?.querySelectorAll("tbody tr") ?? [])].map((row) =>
      [...row.querySelectorAll("td")].map((cell) => cell.textContent),
    );
    expect(rows).toEqual([
      ["3", "left-right", "left red, right green", "0.120", "0.150", "yes"],
      ["5", "top-bottom", "top blue, bottom yellow", "-0.020", "0.100", "no"],
    ]);
    expect(chart?.querySelector("desc")?.textContent).toMatch(
      /shape agreement, is 0\.30 against a minimum of 0\.50/,
    );
  });

  it("marks each illumination check ✓ or ✗ against the policy's bounds", () => {
    const checks = () =>
      [...container.querySelectorAll<HTMLElement>(".illumination-checks tbody tr")].map((row) => [
        row.dataset.check,
        row.dataset.ok,
        row.querySelector("td:last-child [aria-hidden]")?.textContent,
      ]);
    renderResult(container, result());
    expect(checks()).toEqual([
      ["lag", "true", "✓"],
      ["correlation", "true", "✓"],
      ["shape", "false", "✗"],
      ["background", "true", "✓"],
    ]);
    expect(container.querySelector(".illumination-summary")?.textContent).toBe(
      "3 of 4 illumination checks within the policy's bounds.",
    );
    const measured = analysis.illumination;
    if (measured === null) throw new Error("the fixture has an illumination");
    const other = SessionAnalysis.parse({
      ...analysis,
      illumination: {
        ...measured,
        lagMs: 260,
        correlation: null,
        shapeAgreement: 0.5,
        backgroundRatio: 0.45,
      },
    });
    renderResult(container, result({}, { analysis: other }));
    expect(checks()).toEqual([
      ["lag", "false", "✗"],
      ["correlation", "null", "–"],
      ["shape", "true", "✓"],
      ["background", "false", "✗"],
    ]);
    expect(container.querySelector(".illumination-summary")?.textContent).toBe(
      "1 of 4 illumination checks within the policy's bounds; 1 not measured.",
    );
    const lag = container.querySelector('[data-check="lag"]');
    expect(lag?.textContent).toContain("260 ms");
    expect(lag?.textContent).toContain("0–250 ms");
    expect(lag?.textContent).toContain("out of bound");
  });

  it("explains the illumination reasons in plain language", () => {
    const reasons = ["REFLECTION_TIMING", "REFLECTION_NOT_3D", "REFLECTION_UNIFORM"] as const;
    const base = result();
    const verdict = base.verdict === null ? null : { ...base.verdict, reasons: [...reasons] };
    renderResult(container, result({ verdict }, { reasons: [...reasons] }));
    const text = [...container.querySelectorAll<HTMLElement>("[data-reason]")].map(
      (item) => item.textContent,
    );
    expect(text[0]).toMatch(/did not follow the screen's light sequence in time/);
    expect(text[1]).toMatch(/three-dimensional face/);
    expect(text[2]).toMatch(/background/);
  });

  it("lists the head-turn prompts with their peaks and what was needed", () => {
    renderResult(container, result());
    const rows = [...container.querySelectorAll(".poses tbody tr")].map((row) =>
      [...row.querySelectorAll("td")].map((cell) => cell.textContent),
    );
    expect(rows).toEqual([
      ["1", "left", "0.30", "14.2", "10", "yes"],
      ["2", "up", "not shown", "–", "7", "no"],
    ]);
  });

  it("shows the audit frames through the demo backend's proxy", () => {
    renderResult(container, result());
    const images = [...container.querySelectorAll<HTMLImageElement>(".audit-frames img")];
    expect(images.map((image) => image.getAttribute("src"))).toEqual([
      `/rp/sessions/${SESSION_ID}/frames/0`,
      `/rp/sessions/${SESSION_ID}/frames/3`,
    ]);
    expect(images.every((image) => image.alt.length > 0)).toBe(true);
  });

  it("says so when there is no analysis, no verdict and no illumination sequence", () => {
    renderResult(
      container,
      result(
        { verdict: null, verdictVerified: false },
        {
          status: "started",
          decision: null,
          reasons: [],
          verdict: null,
          auditFrames: [],
          analysis: null,
        },
      ),
    );
    expect(root()?.dataset.decision).toBe("none");
    expect(container.querySelector('[data-analysis="none"]')?.textContent).toMatch(/^No analysis/);
    expect(container.querySelector(".signature.none")).not.toBeNull();
    expect(container.querySelector("svg")).toBeNull();
    const noFlash = SessionAnalysis.parse({
      ...analysis,
      frames: analysis.frames.map((frame) => ({ ...frame, illuminationStep: null })),
      illumination: null,
    });
    renderResult(container, result({}, { analysis: noFlash }));
    expect(container.querySelector('[data-illumination="none"]')?.textContent).toMatch(
      /^No light sequence was shown \(no-flash policy\)/,
    );
    expect(container.querySelector('[data-chart="illumination"]')).toBeNull();
    expect(container.querySelector('[data-chart="side-contrast"]')).toBeNull();
    expect(container.querySelector(".illumination-checks")).toBeNull();
    expect(container.querySelector('[data-chart="frames"]')).not.toBeNull();
    expect(container.querySelectorAll(".rp-result").length).toBe(1);
  });
});

describe("renderResult's document match", () => {
  const REFERENCE_URL = "blob:http://127.0.0.1:5173/chosen-document";
  const same: FaceMatch = { similarity: 0.712, threshold: 0.46, fmr: 0.01, decision: "match" };
  const other: FaceMatch = { similarity: 0.18, threshold: 0.46, fmr: 0.001, decision: "mismatch" };
  const withMatch = (match: FaceMatch, kind: "document" | "portrait" = "document") =>
    result(
      {
        verdict: {
          ...VERDICT,
          decision: match.decision === "match" ? "pass" : "fail",
          reasons: match.decision === "match" ? [] : ["FACE_MISMATCH"],
          match,
        },
      },
      { referenceImage: { kind, attachedAt: T0 }, match },
    );
  const block = () => container.querySelector<HTMLElement>(".face-match");

  it("shows the same person, the similarity against the threshold, the FMR and both faces", () => {
    renderResult(container, withMatch(same), { referenceImageUrl: REFERENCE_URL });
    expect(block()?.dataset.match).toBe("match");
    expect(block()?.querySelector("h3")?.textContent).toBe("Document match");
    expect(block()?.querySelector(".match-decision")?.textContent).toBe(
      "Same person: the face in the live check matches the face on the ID document.",
    );
    expect(block()?.querySelector("[data-similarity]")?.textContent).toBe("0.71 ≥ 0.46");
    expect(block()?.querySelector("[data-fmr]")?.textContent).toBe("1 in 100");
    const faces = [...(block()?.querySelectorAll<HTMLImageElement>(".match-faces img") ?? [])];
    expect(faces.map((image) => image.getAttribute("src"))).toEqual([
      REFERENCE_URL,
      `/rp/sessions/${SESSION_ID}/frames/0`,
    ]);
    expect(faces.every((image) => image.alt.length > 0)).toBe(true);
    expect(block()?.querySelector("figcaption")?.textContent).toBe("Your ID document");
  });

  it("shows a mismatch with FACE_MISMATCH explained among the reasons", () => {
    renderResult(container, withMatch(other, "portrait"), { referenceImageUrl: REFERENCE_URL });
    expect(block()?.dataset.match).toBe("mismatch");
    expect(block()?.querySelector(".match-decision")?.textContent).toMatch(
      /^Not the same person: .* does not match the face on the portrait photo\.$/,
    );
    expect(block()?.querySelector("[data-similarity]")?.textContent).toBe("0.18 < 0.46");
    expect(block()?.querySelector("[data-fmr]")?.textContent).toBe("1 in 1,000");
    expect(container.querySelector('[data-reason="FACE_MISMATCH"]')?.textContent).toMatch(
      /not the person on the reference image/,
    );
  });

  it("says what is missing: no live face, no chosen image on this page, no audit frame", () => {
    renderResult(
      container,
      result(
        { verdict: { ...VERDICT, match: { ...other, similarity: null } } },
        { referenceImage: { kind: "document", attachedAt: T0 }, auditFrames: [] },
      ),
    );
    expect(block()?.querySelector("[data-similarity]")?.textContent).toBe(
      "no live face to compare (threshold 0.46)",
    );
    expect(block()?.querySelectorAll("img").length).toBe(0);
    expect([...(block()?.querySelectorAll(".missing") ?? [])].map((p) => p.textContent)).toEqual([
      "The photo you chose is no longer on this page.",
      "The server kept no frame of the live check.",
    ]);
  });

  it("shows the session's unsigned match when the verdict did not verify, and none without one", () => {
    renderResult(container, result({ verdict: null, verdictVerified: false }, { match: same }));
    expect(block()?.dataset.match).toBe("match");
    renderResult(container, result());
    expect(block()).toBeNull();
  });
});
