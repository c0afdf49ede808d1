// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ResultTokenClaims, StartSessionResponse } from "@lumen/protocol";
import type { LivenessEvidence } from "@lumen/sdk";
import { renderDonationPanel } from "../src/donation-panel.ts";
import type { RpRecordingRequest } from "../src/rp-types.ts";

const SESSION_ID = "ses_DonatedSession00000001";
const FRAME = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xd9]);
const SHA = "0".repeat(64);

function evidence(): LivenessEvidence {
  const claims: ResultTokenClaims = {
    sid: SESSION_ID,
    nonce: "nonce-of-the-donated-session",
    iat: 1_750_000_000,
    exp: 1_750_000_120,
    frames: [{ capturedAt: 1_750_000_000_000, sha256: SHA, width: 1, height: 1, scores: null }],
    flashesShownAt: [],
    posesShownAt: [],
    models: "a".repeat(64),
    signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: null },
  };
  const start: StartSessionResponse = {
    nonce: claims.nonce,
    challenge: {
      flashes: [],
      poses: [],
      oval: { centerX: 0.5, centerY: 0.5, width: 0.6, height: 0.8 },
    },
    evidence: { minFrames: 1, maxFrames: 40, maxFrameBytes: 400_000, maxFramePixels: 1_638_400 },
    deadline: 1_750_000_180_000,
  };
  const payload = btoa(JSON.stringify(claims))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return {
    start,
    startedAt: 1_749_999_999_000,
    capture: { cameraLabel: "Camera", userAgent: "test", trackSettings: {}, customSource: false },
    token: `eyJhbGciOiJFUzI1NiJ9.${payload}.c2ln`,
    frames: [FRAME],
  };
}

let posted: RpRecordingRequest[];
let answer: () => Response;

beforeEach(() => {
  posted = [];
  answer = () => Response.json({ path: "x" }, { status: 201 });
  document.body.replaceChildren();
  vi.stubGlobal(
    "fetch",
    vi.fn((url: string, init: RequestInit) => {
      expect(url).toBe("/rp/recordings");
      posted.push(JSON.parse(init.body as string) as RpRecordingRequest);
      return Promise.resolve(answer());
    }),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function panel() {
  renderDonationPanel(document.body, {
    sessionId: SESSION_ID,
    policy: "no-flash",
    evidence: evidence(),
    serverDecision: { decision: "pass", reasons: [] },
    clock: () => 1_750_000_100_000,
  });
  const get = (selector: string): Element => {
    const found = document.querySelector(selector);
    if (!found) throw new Error(`no ${selector}`);
    return found;
  };
  return {
    consent: get("#donate-consent") as HTMLInputElement,
    attack: get("#donate-attack") as HTMLInputElement,
    species: get("#donate-species") as HTMLSelectElement,
    donate: get("#donate") as HTMLButtonElement,
    status: get("[data-donation] [role=status]") as HTMLElement,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("renderDonationPanel", () => {
  it("sends nothing until the consent box is ticked", () => {
    const { consent, donate } = panel();
    expect(consent.checked).toBe(false);
    expect(donate.disabled).toBe(true);
    donate.click();
    expect(posted).toEqual([]);
  });

  it("donates with the chosen label once ticked, then cannot donate again", async () => {
    const { consent, attack, species, donate, status } = panel();
    consent.checked = true;
    consent.dispatchEvent(new Event("change"));
    attack.checked = true;
    attack.dispatchEvent(new Event("change"));
    species.value = "screen-replay";
    expect(donate.disabled).toBe(false);
    donate.click();
    await settle();
    await settle();
    expect(posted).toHaveLength(1);
    const [request] = posted;
    expect(request?.session.label).toEqual({ kind: "attack", species: "screen-replay" });
    expect(request?.session.policy).toBe("no-flash");
    expect(request?.session.serverDecision).toEqual({ decision: "pass", reasons: [] });
    expect(request?.session.consent).toEqual({ given: true, at: 1_750_000_100_000 });
    expect(request?.frames).toEqual(["/9j/4P/Z"]);
    expect(status.textContent).toContain("Thank you");
    expect(donate.disabled).toBe(true);
  });

  it("says so when the demo does not collect sessions", async () => {
    answer = () => Response.json({ error: { code: "NOT_FOUND", message: "off" } }, { status: 404 });
    const { consent, donate, status } = panel();
    consent.checked = true;
    consent.dispatchEvent(new Event("change"));
    donate.click();
    await settle();
    await settle();
    expect(posted[0]?.session.label).toEqual({ kind: "bona-fide", species: "live" });
    expect(status.textContent).toBe(
      "This demo is not collecting sessions right now. Nothing was sent.",
    );
    expect(donate.disabled).toBe(false);
  });
});
