import { LumenError } from "@lumen/protocol";
import type { RgbaImage } from "./rgba-image.ts";

/**
 * Frames come from cameras and uploads, so a malformed one is bad input, not a bug: it is
 * reported as `IMAGE_INVALID`, which the server maps to a client error.
 */
export function assertRgbaImage(image: RgbaImage): void {
  const { width, height, data } = image;
  if (
    !(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) ||
    data.length !== width * height * 4
  ) {
    throw new LumenError("IMAGE_INVALID", `Image data does not match ${width}x${height} RGBA`);
  }
}
