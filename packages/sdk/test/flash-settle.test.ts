import { FLASH_CAMERA_LAG_MS } from "@lumen/core";
import { describe, expect, it } from "vitest";
import { flashSettleMs } from "../src/challenges/run-flash-sequence.ts";

describe("flashSettleMs", () => {
  it("waits at least the camera's lag, the server's window opening", () => {
    expect(flashSettleMs(100)).toBe(FLASH_CAMERA_LAG_MS);
    expect(flashSettleMs(240)).toBe(FLASH_CAMERA_LAG_MS);
  });

  it("waits a third of a long flash, well before its end", () => {
    expect(flashSettleMs(300)).toBe(100);
    expect(flashSettleMs(600)).toBe(200);
    for (const duration of [300, 450, 600, 2000]) {
      expect(flashSettleMs(duration)).toBeLessThan(duration / 2);
    }
  });
});
