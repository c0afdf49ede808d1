import jpeg from "jpeg-js";
import type { RgbaImage } from "@lumen/core";
import { LumenError } from "@lumen/protocol";
import { applyOrientation, jpegOrientation } from "./jpeg-orientation.ts";

/** Limits of {@link decodeJpeg}. */
export interface DecodeJpegOptions {
  /** Largest accepted width × height; a bigger declared size is refused before decoding. */
  readonly maxPixels: number;
}

const SOI = [0xff, 0xd8, 0xff];

/**
 * Decodes a JPEG into upright RGBA pixels (EXIF orientation applied, as browsers do), refusing anything that is not a JPEG or that declares more
 * pixels than allowed (a decompression bomb) before spending memory on it.
 *
 * @throws {LumenError} `IMAGE_INVALID` for a non-JPEG, truncated, corrupt or oversized image.
 * @example
 * ```ts
 * const frame = decodeJpeg(bytes, { maxPixels: 1280 * 720 });
 * ```
 */
export function decodeJpeg(bytes: Uint8Array, options: DecodeJpegOptions): RgbaImage {
  if (!SOI.every((byte, i) => bytes[i] === byte)) {
    throw new LumenError("IMAGE_INVALID", "The image is not a JPEG");
  }
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      tolerantDecoding: false,
      maxResolutionInMP: options.maxPixels / 1e6,
      maxMemoryUsageInMB: Math.ceil((options.maxPixels * 8) / 2 ** 20) + 16,
    });
    decoded = { width: image.width, height: image.height, data: image.data };
  } catch (cause) {
    throw new LumenError("IMAGE_INVALID", "The JPEG is corrupt, truncated or too large", {
      cause,
    });
  }
  return applyOrientation(decoded, jpegOrientation(bytes));
}
