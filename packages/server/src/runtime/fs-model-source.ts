import { open } from "node:fs/promises";
import { basename, join } from "node:path";
import type { ModelSource } from "@lumen/core";
import { LumenError } from "@lumen/protocol";

/**
 * A {@link ModelSource} reading model files from a folder (by default `models/dist/`).
 * It refuses names with path parts and files larger than the pinned size before reading them.
 *
 * @example
 * ```ts
 * const bytes = await loadVerifiedModel(getModelSpec("minifasnet-v2-se"), createFsModelSource(dir));
 * ```
 */
export function createFsModelSource(directory: string): ModelSource {
  return async (file, maxBytes) => {
    if (basename(file) !== file) {
      throw new LumenError("MODEL_NOT_FOUND", `Model file name "${file}" must not contain a path`);
    }
    const path = join(directory, file);
    let handle;
    try {
      handle = await open(path, "r");
    } catch (cause) {
      throw new LumenError("MODEL_NOT_FOUND", `Model file ${path} could not be opened`, { cause });
    }
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) {
        throw new LumenError(
          "MODEL_INTEGRITY_FAILED",
          `Model file ${path} has ${size} bytes, more than the pinned ${maxBytes}`,
        );
      }
      const bytes = new Uint8Array(size);
      const { bytesRead } = await handle.read(bytes, 0, size, 0);
      return bytes.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
}
