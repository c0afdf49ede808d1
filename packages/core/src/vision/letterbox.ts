import { LumenError } from "@lumen/protocol";
import type { PixelPoint } from "../image/rgba-image.ts";

/**
 * Where a frame sits in the square a detector sees: the frame centred, black bars on the
 * shorter axis (MediaPipe's `keep_aspect_ratio`), all in frame pixels.
 */
export interface Letterbox {
  /** Bar width left and right of the frame. */
  readonly padX: number;
  /** Bar height above and below the frame. */
  readonly padY: number;
  /** Side of the padded square. */
  readonly side: number;
}

/**
 * The letterbox of a frame of the given size.
 *
 * @throws {LumenError} `IMAGE_INVALID` for a zero-size or non-integer frame size.
 * @example
 * ```ts
 * letterbox(640, 480); // { padX: 0, padY: 80, side: 640 }
 * ```
 */
export function letterbox(frameWidth: number, frameHeight: number): Letterbox {
  if (!(Number.isInteger(frameWidth) && Number.isInteger(frameHeight))) {
    throw new LumenError("IMAGE_INVALID", `Frame size ${frameWidth}x${frameHeight} is invalid`);
  }
  if (!(frameWidth > 0 && frameHeight > 0)) {
    throw new LumenError("IMAGE_INVALID", `Frame size ${frameWidth}x${frameHeight} is empty`);
  }
  const side = Math.max(frameWidth, frameHeight);
  return { padX: (side - frameWidth) / 2, padY: (side - frameHeight) / 2, side };
}

/**
 * A point normalised to the letterboxed square (0..1, as the detector outputs) to frame pixels.
 *
 * @example
 * ```ts
 * letterboxToFrame(letterbox(640, 480), { x: 0.5, y: 0.5 }); // { x: 320, y: 240 }
 * ```
 */
export function letterboxToFrame(box: Letterbox, point: PixelPoint): PixelPoint {
  return { x: point.x * box.side - box.padX, y: point.y * box.side - box.padY };
}

/**
 * A frame pixel to coordinates normalised to the letterboxed square; inverse of
 * {@link letterboxToFrame}.
 *
 * @example
 * ```ts
 * frameToLetterbox(letterbox(640, 480), { x: 320, y: 0 }); // { x: 0.5, y: 0.125 }
 * ```
 */
export function frameToLetterbox(box: Letterbox, point: PixelPoint): PixelPoint {
  return { x: (point.x + box.padX) / box.side, y: (point.y + box.padY) / box.side };
}
