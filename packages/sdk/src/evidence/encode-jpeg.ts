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
