/**
 * Widens IEEE 754 half-precision bits to the number they encode, exactly (every float16 is a
 * float32), including subnormals, infinities and NaN. TFLite stores MediaPipe's weights this
 * way; ONNX gets them as float32 so every runtime computes as TFLite's float path does.
 *
 * @example
 * ```ts
 * float16ToFloat32(0x3c00); // 1
 * float16ToFloat32(0xc000); // -2
 * ```
 */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
