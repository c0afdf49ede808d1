import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChallengeDisplay } from "../src/challenge-display.ts";
import {
  resolveLivenessSessionOptions,
  type LivenessEvidence,
  type LivenessSessionOptions,
} from "../src/liveness-session-options.ts";

const display: ChallengeDisplay = { showIllumination: () => Promise.resolve(0) };
const base: LivenessSessionOptions = {
  serverUrl: "https://lumen.example/",
  clientToken: "client-token",
  sessionId: "ses_AAAAAAAAAAAAAAAAAAAAAA",
  assets: { modelBaseUrl: "https://cdn.example/models/" },
  display,
};

beforeEach(() => {
  // The options resolve relative URLs against the page; Node has none.
  vi.stubGlobal("location", { href: "https://bank.example/onboarding" });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("resolveLivenessSessionOptions: onEvidence", () => {
  it("is null when not given", () => {
    expect(resolveLivenessSessionOptions(base).onEvidence).toBeNull();
  });

  it("keeps the recorder function as given", () => {
    const onEvidence: (evidence: LivenessEvidence) => void = () => undefined;
    expect(resolveLivenessSessionOptions({ ...base, onEvidence }).onEvidence).toBe(onEvidence);
  });

  it.each([
    ["a string", "record"],
    ["an object", {}],
    ["null", null],
    ["true", true],
  ])("throws a TypeError for %s, where the session is created", (_, value) => {
    const options = { ...base, onEvidence: value } as unknown as LivenessSessionOptions;
    expect(() => resolveLivenessSessionOptions(options)).toThrow(
      new TypeError("onEvidence must be a function"),
    );
  });
});
