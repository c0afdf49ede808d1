import { describe, expect, it } from "vitest";
import { neutralStretch } from "../src/lab/neutral-stretch.ts";

const frame = (id: number, yawDegrees: number, pitchDegrees = 0) => ({
  id,
  pose: { yawDegrees, pitchDegrees, rollDegrees: 0 },
});

describe("neutralStretch", () => {
  it("picks the consecutive frames closest in sum to the median pose", () => {
    // Median yaw 0: the stretch 3–5 holds still there; 0–2 and 6–8 turn away.
    const frames = [20, 15, 10, 0, 1, 0, -10, -15, -20].map((yaw, i) => frame(i, yaw));
    expect(neutralStretch(frames, 3).map((f) => f.id)).toEqual([3, 4, 5]);
  });

  it("counts pitch as much as yaw", () => {
    // Median pitch 0: the nods at the start cost as much as a turn would.
    const frames = [
      frame(0, 0, 12),
      frame(1, 0, 12),
      frame(2, 0, 0),
      frame(3, 2, 0),
      frame(4, 0, 0),
    ];
    expect(neutralStretch(frames, 2).map((f) => f.id)).toEqual([2, 3]);
  });

  it("gives every frame when there are fewer than the stretch, and none for none", () => {
    const frames = [frame(0, 5), frame(1, -5)];
    expect(neutralStretch(frames, 12).map((f) => f.id)).toEqual([0, 1]);
    expect(neutralStretch([], 12)).toEqual([]);
  });
});
