import type { FlashColour } from "@lumen/protocol";

/** Linear-light RGB (the sRGB transfer curve undone), each channel 0..1 for in-gamut colours. */
export type LinearRgb = readonly [number, number, number];

function decode(value: number): number {
  const v = value / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** Linear light of every 8-bit sRGB value: pixels are decoded through it, not by `pow`. */
export const SRGB_TO_LINEAR: Float32Array = Float32Array.from({ length: 256 }, (_, i) => decode(i));

/**
 * The sRGB transfer curve undone (IEC 61966-2-1): an 8-bit value's linear light, 0..1.
 *
 * @example
 * ```ts
 * srgbToLinear(188); // ≈ 0.5
 * ```
 */
export function srgbToLinear(value: number): number {
  return decode(value);
}

/**
 * Linear light back to an sRGB value on the 0..255 scale, clamped, not rounded.
 *
 * @example
 * ```ts
 * Math.round(linearToSrgb(0.5)); // 188
 * ```
 */
export function linearToSrgb(linear: number): number {
  const v = Math.min(1, Math.max(0, linear));
  return 255 * (v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055);
}

/**
 * A screen colour's linear light: what each channel of a display emits for it.
 *
 * @example
 * ```ts
 * colourToLinear("#ff0000"); // [1, 0, 0]
 * ```
 */
export function colourToLinear(colour: FlashColour): LinearRgb {
  const channel = (i: number): number =>
    decode(Number.parseInt(colour.slice(1 + 2 * i, 3 + 2 * i), 16));
  return [channel(0), channel(1), channel(2)];
}
