import type { IlluminationStep } from "@lumen/protocol";

/**
 * What the screen shows at one moment: an illumination step's pattern and colours (the left or
 * top half first, as the user sees the screen). `null` wherever a `ScreenState | null` is taken
 * means the screen shows nothing of the challenge and adds no light of its own.
 */
export type ScreenState = Pick<IlluminationStep, "pattern" | "colours">;
