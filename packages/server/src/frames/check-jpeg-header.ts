import { LumenError } from "@lumen/protocol";

/** The dimensions a JPEG's frame header declares. */
export interface JpegDimensions {
  readonly width: number;
  readonly height: number;
}

// Start-of-frame markers (baseline, extended, progressive, lossless, …); C4, C8, CC are not frames.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * A cheap look at a JPEG before any decoding: the SOI marker, a complete file (EOI at the end),
 * and the dimensions in the first SOF header, which must not exceed `maxPixels`. Refusing here
 * costs a few bytes of reading instead of the memory a decompression bomb asks for.
 *
 * @throws {LumenError} `IMAGE_INVALID`.
 * @example
 * ```ts
 * const { width, height } = checkJpegHeader(bytes, 1280 * 1280);
 * ```
 */
export function checkJpegHeader(bytes: Uint8Array, maxPixels: number): JpegDimensions {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) {
    throw new LumenError("IMAGE_INVALID", "A frame is not a JPEG");
  }
  if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) {
    throw new LumenError("IMAGE_INVALID", "A frame is truncated (no end-of-image marker)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) break;
    const marker = bytes[offset + 1] ?? 0;
    // Fill bytes before a marker.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break;
    const length = view.getUint16(offset + 2);
    if (length < 2) break;
    if (SOF.has(marker)) {
      if (offset + 9 > bytes.length) break;
      const height = view.getUint16(offset + 5);
      const width = view.getUint16(offset + 7);
      if (width === 0 || height === 0) {
        throw new LumenError("IMAGE_INVALID", "A frame declares no size");
      }
      if (width * height > maxPixels) {
        throw new LumenError("IMAGE_INVALID", `A frame declares ${width}x${height} pixels`);
      }
      return { width, height };
    }
    offset += 2 + length;
  }
  throw new LumenError("IMAGE_INVALID", "A frame has no readable frame header");
}
