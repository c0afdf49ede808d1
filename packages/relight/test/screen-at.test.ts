import { describe, expect, it } from "vitest";
import type { IlluminationStep } from "@lumen/protocol";
import { screenAt } from "../src/index.ts";

const STEPS: IlluminationStep[] = [
  { pattern: "full", colours: ["#000000", "#000000"], durationMs: 400 },
  { pattern: "left-right", colours: ["#ff0000", "#0000ff"], durationMs: 500 },
  { pattern: "full", colours: ["#00ff00", "#00ff00"], durationMs: 300 },
];
// The second step painted 20 ms late; the last one ends on its own duration.
const SHOWN_AT = [1000, 1420, 1920];

describe("screenAt", () => {
  it("gives the step lit lagMs before the frame", () => {
    expect(screenAt(STEPS, SHOWN_AT, 1000, 0)?.colours).toEqual(["#000000", "#000000"]);
    expect(screenAt(STEPS, SHOWN_AT, 1460, 50)?.colours).toEqual(["#000000", "#000000"]);
    expect(screenAt(STEPS, SHOWN_AT, 1470, 50)).toEqual({
      pattern: "left-right",
      colours: ["#ff0000", "#0000ff"],
    });
    expect(screenAt(STEPS, SHOWN_AT, 2260, 50)?.pattern).toBe("full");
  });

  it("is null before the first step and after the last one's duration", () => {
    expect(screenAt(STEPS, SHOWN_AT, 1040, 50)).toBeNull();
    expect(screenAt(STEPS, SHOWN_AT, 1920 + 300 + 50, 50)).toBeNull();
    expect(screenAt([], [], 5000, 0)).toBeNull();
  });

  it("keeps a step on screen until the next one is painted, however late", () => {
    // Step 0 lasts 400 ms from 1000; step 1 is painted at 1420.
    expect(screenAt(STEPS, SHOWN_AT, 1410, 0)?.colours[0]).toBe("#000000");
  });

  it("covers only the steps shown so far", () => {
    expect(screenAt(STEPS, [1000], 1300, 0)?.colours[0]).toBe("#000000");
    expect(() => screenAt(STEPS.slice(0, 1), SHOWN_AT, 1300, 0)).toThrow(TypeError);
  });
});
