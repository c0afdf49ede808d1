import { LumenError } from "@lumen/protocol";
import { sha256Hex } from "../crypto/sha256-hex.ts";
import type { ModelSpec } from "./model-spec.ts";

/**
 * Where model bytes come from: `fetch` under a base URL in the browser, the file system on the
 * server. It must refuse to read more than `maxBytes`, so a hostile host cannot exhaust memory.
 */
export type ModelSource = (file: string, maxBytes: number) => Promise<Uint8Array>;

/**
 * Reads a model and hands it over only if its size and SHA-256 match the pinned spec; the
 * bytes are never given to an inference runtime otherwise.
 *
 * @throws {LumenError} `MODEL_NOT_FOUND` when the source fails, `MODEL_INTEGRITY_FAILED` when
 * the bytes differ from the pin.
 * @example
 * ```ts
 * const bytes = await loadVerifiedModel(getModelSpec("minifasnet-v2-se"), source);
 * const session = await InferenceSession.create(bytes);
 * ```
 */
export async function loadVerifiedModel(spec: ModelSpec, source: ModelSource): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await source(spec.file, spec.bytes);
  } catch (cause) {
    if (cause instanceof LumenError) throw cause;
    throw new LumenError("MODEL_NOT_FOUND", `Model ${spec.id} (${spec.file}) could not be read`, {
      cause,
    });
  }
  if (bytes.byteLength !== spec.bytes) {
    throw new LumenError(
      "MODEL_INTEGRITY_FAILED",
      `Model ${spec.id} (${spec.file}) has ${bytes.byteLength} bytes, expected ${spec.bytes}`,
    );
  }
  const actual = await sha256Hex(bytes);
  if (actual !== spec.sha256) {
    throw new LumenError(
      "MODEL_INTEGRITY_FAILED",
      `Model ${spec.id} (${spec.file}) has SHA-256 ${actual}, expected ${spec.sha256}`,
    );
  }
  return bytes;
}
