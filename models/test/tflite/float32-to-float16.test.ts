import { describe, expect, it } from "vitest";
import { float32ToFloat16 } from "../../src/tflite/float32-to-float16.ts";

describe("float32ToFloat16", () => {
  it("encodes exact values, rounds to nearest even and saturates", () => {
    expect(float32ToFloat16(0)).toBe(0x0000);
    expect(float32ToFloat16(-0)).toBe(0x8000);
    expect(float32ToFloat16(1)).toBe(0x3c00);
    expect(float32ToFloat16(-2)).toBe(0xc000);
    expect(float32ToFloat16(1 / 16)).toBe(0x2c00);
    expect(float32ToFloat16(65504)).toBe(0x7bff);
    expect(float32ToFloat16(1e6)).toBe(0x7c00);
    expect(float32ToFloat16(-Infinity)).toBe(0xfc00);
    expect(float32ToFloat16(NaN) & 0x7e00).toBe(0x7e00);
    expect(float32ToFloat16(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16(1e-9)).toBe(0x0000);
    expect(float32ToFloat16(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(float32ToFloat16(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
  });
});
