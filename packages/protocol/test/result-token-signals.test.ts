import { describe, expect, it } from "vitest";
import { ResultTokenClaims, TRACK_SETTINGS_SIGNALS } from "../src/index.ts";

const Signals = ResultTokenClaims.shape.signals;
const base = { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 2.4 };

describe("ResultTokenClaims.signals.implausibleTrackSettings", () => {
  it("is optional, so tokens of SDKs that do not report it stay valid", () => {
    expect(Signals.safeParse(base).success).toBe(true);
  });

  it("accepts any list of known signal names", () => {
    expect(Signals.safeParse({ ...base, implausibleTrackSettings: [] }).success).toBe(true);
    expect(
      Signals.safeParse({ ...base, implausibleTrackSettings: [...TRACK_SETTINGS_SIGNALS] }).success,
    ).toBe(true);
  });

  it("refuses unknown names and oversized lists; the object stays strict", () => {
    expect(Signals.safeParse({ ...base, implausibleTrackSettings: ["made-up"] }).success).toBe(
      false,
    );
    expect(
      Signals.safeParse({
        ...base,
        implausibleTrackSettings: [...TRACK_SETTINGS_SIGNALS, "odd-size"],
      }).success,
    ).toBe(false);
    expect(Signals.safeParse({ ...base, somethingElse: true }).success).toBe(false);
  });
});
