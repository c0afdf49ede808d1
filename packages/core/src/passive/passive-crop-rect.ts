import type { PixelRect } from "../image/rgba-image.ts";
import { enlargeToSquare } from "../vision/face-box.ts";
import type { PassiveCrop } from "./passive-model.ts";

// Silent-Face's CropImage._get_new_box (src/generate_patches.py @b6d5f04): scale the box about
// its centre, shrink the scale until it fits, shift it inside the frame, truncate to integers
// and keep the last row and column inclusive.
function insideFrame(box: PixelRect, scale: number, width: number, height: number): PixelRect {
  const s = Math.min((height - 1) / box.height, (width - 1) / box.width, scale);
  const w = box.width * s;
  const h = box.height * s;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  let left = cx - w / 2;
  let top = cy - h / 2;
  let right = cx + w / 2;
  let bottom = cy + h / 2;
  if (left < 0) {
    right -= left;
    left = 0;
  }
  if (top < 0) {
    bottom -= top;
    top = 0;
  }
  if (right > width - 1) {
    left -= right - width + 1;
    right = width - 1;
  }
  if (bottom > height - 1) {
    top -= bottom - height + 1;
    bottom = height - 1;
  }
  const x0 = Math.trunc(left);
  const y0 = Math.trunc(top);
  return { x: x0, y: y0, width: Math.trunc(right) - x0 + 1, height: Math.trunc(bottom) - y0 + 1 };
}

/**
 * The rectangle of the frame a passive model sees for a face box (see {@link PassiveCrop}).
 *
 * @example
 * ```ts
 * passiveCropRect({ x: 100, y: 80, width: 120, height: 150 }, { kind: "inside-frame", scale: 2.7 }, 640, 480);
 * ```
 */
export function passiveCropRect(
  box: PixelRect,
  crop: PassiveCrop,
  frameWidth: number,
  frameHeight: number,
): PixelRect {
  return crop.kind === "square"
    ? enlargeToSquare(box, crop.scale)
    : insideFrame(box, crop.scale, frameWidth, frameHeight);
}
