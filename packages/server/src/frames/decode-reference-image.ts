import sharp from "sharp";
import type { RgbaImage } from "@lumen/core";
import { LumenError, PROTOCOL_LIMITS } from "@lumen/protocol";

/**
 * The longest side a reference image is analysed at: a document photo's portrait keeps well
 * over the 48 px eye span the embedding needs, and the decoded pixels stay under 16 MiB.
 */
export const REFERENCE_MAX_SIDE = 2048;

/** Limits of {@link decodeReferenceImage}. */
export interface DecodeReferenceOptions {
  /** The format the image was declared as; content of another format is refused. */
  readonly format: "jpeg" | "png";
  /** Largest accepted width × height, checked from the header before decoding. */
  readonly maxPixels?: number;
}

/**
 * Decodes a reference image (JPEG or PNG, its content checked against its declared format) to
 * upright RGBA (EXIF orientation applied), no longer than {@link REFERENCE_MAX_SIDE} on either
 * side. libvips (through `sharp`) reads the header first and refuses a decompression bomb
 * before spending memory on it; decoding runs on libuv's pool, off the event loop.
 *
 * @throws {LumenError} `IMAGE_INVALID` for another format, a corrupt or truncated image, or more
 *   than `maxPixels` pixels.
 * @example
 * ```ts
 * const image = await decodeReferenceImage(bytes, { format: "jpeg" });
 * ```
 */
export async function decodeReferenceImage(
  bytes: Uint8Array,
  options: DecodeReferenceOptions,
): Promise<RgbaImage> {
  const maxPixels = options.maxPixels ?? PROTOCOL_LIMITS.maxReferencePixels;
  const image = sharp(bytes, { limitInputPixels: maxPixels, failOn: "error" });
  let format: string | undefined;
  try {
    ({ format } = await image.metadata());
  } catch (cause) {
    throw new LumenError("IMAGE_INVALID", "The reference image is not a readable JPEG or PNG", {
      cause,
    });
  }
  if (format !== options.format) {
    throw new LumenError(
      "IMAGE_INVALID",
      `The reference image is not the ${options.format === "png" ? "PNG" : "JPEG"} it is declared as`,
    );
  }
  try {
    const { data, info } = await image
      .rotate()
      .resize({
        width: REFERENCE_MAX_SIDE,
        height: REFERENCE_MAX_SIDE,
        fit: "inside",
        withoutEnlargement: true,
      })
      .toColourspace("srgb")
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`${info.channels} channels decoded`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (cause) {
    throw new LumenError(
      "IMAGE_INVALID",
      "The reference image is corrupt, truncated or too large",
      {
        cause,
      },
    );
  }
}
