import type { PixelRect } from "../image/rgba-image.ts";

/** A point in normalised image coordinates (0..1), as MediaPipe returns landmarks. */
export interface NormalizedPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * The pixel bounding box of a face's landmarks.
 *
 * @example
 * ```ts
 * const box = landmarkBox(result.faceLandmarks[0], frame.width, frame.height);
 * ```
 */
export function landmarkBox(
  points: readonly NormalizedPoint[],
  imageWidth: number,
  imageHeight: number,
): PixelRect {
  if (points.length === 0) throw new RangeError("A face box needs at least one landmark");
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { x, y } of points) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return {
    x: minX * imageWidth,
    y: minY * imageHeight,
    width: (maxX - minX) * imageWidth,
    height: (maxY - minY) * imageHeight,
  };
}

/**
 * A square around the centre of `box`, its side the box's longer side times `scale`.
 *
 * @example
 * ```ts
 * enlargeToSquare({ x: 10, y: 20, width: 100, height: 80 }, 1.5); // 150x150 about (60, 60)
 * ```
 */
export function enlargeToSquare(box: PixelRect, scale: number): PixelRect {
  const side = Math.max(box.width, box.height) * scale;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}
