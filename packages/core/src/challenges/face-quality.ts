import type { PixelRect, RgbaImage } from "../image/rgba-image.ts";

/** Image quality of the face region of one frame. Pure data. */
export interface FaceQuality {
  /** Mean luma (BT.601) of the face box, 0..255. */
  readonly luma: number;
  /**
   * Mean absolute Laplacian of the luma on a grid of about 96 × 96 samples over the face box:
   * a blur measure that does not depend on the face's size in pixels.
   */
  readonly sharpness: number;
  /** Face box width over the frame's shorter side. */
  readonly faceSize: number;
}

const GRID = 96;

function lumaAt(data: RgbaImage["data"], i: number): number {
  return 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
}

/**
 * Brightness, sharpness and size of the face, the inputs of the `LOW_QUALITY` reason.
 * Samples the face box on a fixed grid so its cost does not grow with the frame size.
 *
 * @example
 * ```ts
 * const { luma, sharpness, faceSize } = faceQuality(frame, analysis.face.box);
 * ```
 */
export function faceQuality(image: RgbaImage, box: PixelRect): FaceQuality {
  const { width, height, data } = image;
  const x0 = Math.max(1, Math.floor(box.x));
  const y0 = Math.max(1, Math.floor(box.y));
  const x1 = Math.min(width - 2, Math.ceil(box.x + box.width));
  const y1 = Math.min(height - 2, Math.ceil(box.y + box.height));
  const step = Math.max(1, Math.floor(Math.min(x1 - x0, y1 - y0) / GRID));
  let lumaSum = 0;
  let laplacianSum = 0;
  let count = 0;
  for (let y = y0 + step; y <= y1 - step; y += step) {
    for (let x = x0 + step; x <= x1 - step; x += step) {
      const i = (y * width + x) * 4;
      const centre = lumaAt(data, i);
      const around =
        lumaAt(data, i - step * 4) +
        lumaAt(data, i + step * 4) +
        lumaAt(data, i - step * width * 4) +
        lumaAt(data, i + step * width * 4);
      lumaSum += centre;
      laplacianSum += Math.abs(around - 4 * centre);
      count++;
    }
  }
  const faceSize = box.width / Math.min(width, height);
  if (count === 0) return { luma: 0, sharpness: 0, faceSize };
  return { luma: lumaSum / count, sharpness: laplacianSum / count, faceSize };
}
