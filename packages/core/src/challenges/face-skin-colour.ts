import type { RgbaImage } from "../image/rgba-image.ts";
import type { Rgb } from "./rgb.ts";

// Mesh landmarks at the centre of each skin patch: right cheek, left cheek, lower forehead.
// These stay skin under every pose the challenge asks for and are rarely covered by hair,
// glasses or a beard, unlike the chin or the upper forehead.
const PATCH_CENTRES = [50, 280, 151] as const;
// Patch half-side as a fraction of the face width (cheek contour 234 ↔ 454): large enough to
// average out pores and JPEG blocks, small enough to stay inside the cheek at a 20° turn.
const PATCH_HALF_SIDE = 0.07;
const RIGHT_CHEEK = 234;
const LEFT_CHEEK = 454;

/**
 * The mean colour of the face's skin: three square patches (both cheeks and the lower forehead)
 * placed from the face-mesh landmarks, averaged pixel by pixel. The face-consistency check
 * compares it across the session (the illumination challenge measures regions apart, see
 * `measureFrameLight`).
 *
 * Returns `null` when the patches fall outside the frame. Allocates only the result.
 *
 * @example
 * ```ts
 * const skin = faceSkinColour(frame, analysis.face.landmarks.points);
 * ```
 */
export function faceSkinColour(image: RgbaImage, points: Float32Array): Rgb | null {
  const faceWidth = Math.hypot(
    (points[LEFT_CHEEK * 3] ?? Number.NaN) - (points[RIGHT_CHEEK * 3] ?? Number.NaN),
    (points[LEFT_CHEEK * 3 + 1] ?? Number.NaN) - (points[RIGHT_CHEEK * 3 + 1] ?? Number.NaN),
  );
  if (!(faceWidth > 0)) return null;
  const half = Math.max(1, Math.round(faceWidth * PATCH_HALF_SIDE));
  const { width, height, data } = image;
  let r = 0;
  let g = 0;
  let b = 0;
  let count = 0;
  for (const centre of PATCH_CENTRES) {
    const cx = Math.round(points[centre * 3] ?? Number.NaN);
    const cy = Math.round(points[centre * 3 + 1] ?? Number.NaN);
    if (!Number.isFinite(cx + cy)) return null;
    const x0 = Math.max(0, cx - half);
    const x1 = Math.min(width - 1, cx + half);
    const y0 = Math.max(0, cy - half);
    const y1 = Math.min(height - 1, cy + half);
    for (let y = y0; y <= y1; y++) {
      let i = (y * width + x0) * 4;
      for (let x = x0; x <= x1; x++, i += 4) {
        r += data[i] ?? 0;
        g += data[i + 1] ?? 0;
        b += data[i + 2] ?? 0;
        count++;
      }
    }
  }
  if (count === 0) return null;
  return { r: r / count, g: g / count, b: b / count };
}
