import { describe, expect, it } from "vitest";
import { poseBaseline } from "../src/tracking/pose-baseline.ts";

describe("poseBaseline", () => {
  it("is straight ahead without any pose", () => {
    expect(poseBaseline([])).toEqual({ yawDegrees: 0, pitchDegrees: 0 });
  });

  it("takes the median yaw and pitch (the middle two's mean for an even count)", () => {
    expect(
      poseBaseline([
        { yawDegrees: 9, pitchDegrees: -1 },
        { yawDegrees: 1, pitchDegrees: 3 },
        { yawDegrees: 2, pitchDegrees: 100 },
      ]),
    ).toEqual({ yawDegrees: 2, pitchDegrees: 3 });
    expect(
      poseBaseline([
        { yawDegrees: 4, pitchDegrees: 1 },
        { yawDegrees: 2, pitchDegrees: -1 },
      ]),
    ).toEqual({ yawDegrees: 3, pitchDegrees: 0 });
  });
});
