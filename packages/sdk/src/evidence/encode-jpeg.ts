import { sha256Hex } from "@lumen/core";
import { LumenError } from "@lumen/protocol";
import type { EncodedEvidence } from "../workers/analysis-api.ts";

const QUALITIES = [0.92, 0.85, 0.75, 0.6] as const;

/**
 * Encodes a canvas as JPEG evidence within `maxBytes` (lowering the quality as needed) and hashes
 * it; the hash goes into the signed token, the bytes into the upload.
 *
 * @throws {LumenError} `IMAGE_INVALID` when even the lowest quality is too large.
 * @example
 * ```ts
 * const { jpeg, sha256 } = await encodeJpegEvidence(canvas, PROTOCOL_LIMITS.maxFrameBytes);
 * ```
 */
export async function encodeJpegEvidence(
  canvas: OffscreenCanvas,
  maxBytes: number,
): Promise<EncodedEvidence> {
  for (const quality of QUALITIES) {
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality });
    if (blob.size <= maxBytes) {
      const jpeg = new Uint8Array(await blob.arrayBuffer());
      return { jpeg, sha256: await sha256Hex(jpeg) };
    }
  }
  throw new LumenError("IMAGE_INVALID", `A frame does not fit in ${maxBytes} bytes as JPEG`);
}

/**
 * The size a frame is analysed and kept at: scaled down to at most `maxPixels`, never up. The
 * analysis worker and the page's own evidence encoder use it, so every evidence frame of a
 * session has the same size.
 *
 * @example
 * ```ts
 * const { width, height } = evidenceSize(1280, 720, 640 * 480);
 * ```
 */
export function evidenceSize(
  width: number,
  height: number,
  maxPixels: number,
): { width: number; height: number } {
  const scale = Math.min(1, Math.sqrt(maxPixels / (width * height)));
  return {
    width: Math.max(1, Math.floor(width * scale)),
    height: Math.max(1, Math.floor(height * scale)),
  };
}

/**
 * Draws `source` at {@link evidenceSize} and encodes it with {@link encodeJpegEvidence}: evidence
 * kept without analysis, a flash's frames.
 *
 * @throws {LumenError} `IMAGE_INVALID` when the frame does not fit in `maxBytes`.
 * @example
 * ```ts
 * const { evidence, width, height } = await encodeFrameEvidence(bitmap, 640 * 480, 1 << 20);
 * ```
 */
export async function encodeFrameEvidence(
  source: ImageBitmap,
  maxPixels: number,
  maxBytes: number,
): Promise<{ evidence: EncodedEvidence; width: number; height: number }> {
  const { width, height } = evidenceSize(source.width, source.height, maxPixels);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d");
  if (!context) throw new LumenError("UNSUPPORTED_BROWSER", "No 2D canvas for evidence frames");
  context.drawImage(source, 0, 0, width, height);
  return { evidence: await encodeJpegEvidence(canvas, maxBytes), width, height };
}
