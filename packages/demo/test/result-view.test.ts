// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from "vitest";
import { renderResult } from "../src/result-view.ts";
import type { RpResult, SessionAnalysis } from "../src/rp-types.ts";

const SESSION_ID = "ses_AAAAAAAAAAAAAAAAAAAAAA";
const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);

const analysis: SessionAnalysis = {
  frames: [
    {
      capturedAt: T0,
      faces: 1,
      liveness: 2.5,
      realness: 0.9,
      yawDegrees: 1,
      pitchDegrees: 0,
      flash: null,
    },
    {
      capturedAt: T0 + 200,
      faces: 0,
      liveness: null,
      realness: null,
      yawDegrees: null,
      pitchDegrees: null,
      flash: "#ff0000",
    },
    {
      capturedAt: T0 + 400,
      faces: 2,
      liveness: -1.5,
      realness: 0.4,
      yawDegrees: 12,
      pitchDegrees: 1,
      flash: null,
    },
    {
      capturedAt: T0 + 600,
      faces: 1,
      liveness: 1.2,
      realness: 0.7,
      yawDegrees: -14,
      pitchDegrees: 2,
      flash: "#0000ff",
    },
  ],
  flashes: [
    { colour: "#ff0000", shownAt: T0 + 150, durationMs: 300, response: 0.05, responded: true },
    { colour: "#0000ff", shownAt: T0 + 550, durationMs: 300, response: null, responded: false },
  ],
  poses: [
    { direction: "left", shownAt: T0 + 300, peakDegrees: 14.2, reached: true },
    { direction: "up", shownAt: null, peakDegrees: null, reached: false },
  ],
  thresholds: {
    liveness: 0,
    realness: 0.2,
    flashResponse: 0.02,
    poseDegrees: { yaw: 10, pitch: 7 },
  },
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
      auditFrames: [0, 3],
      analysis,
      ...session,
    },
    verdict: {
      iss: "http://127.0.0.1:8787",
      aud: "demo",
      sub: SESSION_ID,
      reference: "demo-x",
      decision: "fail",
      reasons: ["SPOOF_SUSPECTED", "CHALLENGE_FAILED"],
      models: {},
      iat: 1,
      exp: 2,
    },
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
    expect(svg?.querySelectorAll("circle.liveness").length).toBe(3);
    expect(svg?.querySelectorAll("circle.realness").length).toBe(3);
    // Higher logits sit higher: y grows downwards.
    const ys = [...(svg?.querySelectorAll("circle.liveness") ?? [])].map((c) =>
      Number(c.getAttribute("cy")),
    );
    expect(ys[0]).toBeLessThan(ys[2] ?? 0);
    const rows = chart?.querySelectorAll("tbody tr");
    expect(rows?.length).toBe(4);
    expect(rows?.[2]?.textContent).toContain("-1.50");
  });

  it("draws one bar per requested flash in its colour, with the response against the threshold", () => {
    renderResult(container, result());
    const chart = container.querySelector('[data-chart="flashes"]');
    const bars = [...(chart?.querySelectorAll("rect.bar") ?? [])];
    expect(bars.map((bar) => bar.getAttribute("fill"))).toEqual(["#ff0000", "#0000ff"]);
    expect(bars.map((bar) => bar.getAttribute("data-responded"))).toEqual(["true", "false"]);
    expect(bars[1]?.getAttribute("class")).toContain("missing");
    expect(chart?.querySelectorAll(".threshold.flash").length).toBe(1);
    expect(chart?.querySelector("desc")?.textContent).toMatch(
      /2 flashes requested; the face responded to 1/,
    );
    expect(chart?.querySelector("tbody")?.textContent).toContain("red");
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

  it("says so when there is no analysis, no verdict and no flashes", () => {
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
    renderResult(container, result({}, { analysis: { ...analysis, flashes: [] } }));
    expect(container.querySelector(".no-flashes")?.textContent).toMatch(/no-flash/);
    expect(container.querySelectorAll(".rp-result").length).toBe(1);
  });
});
