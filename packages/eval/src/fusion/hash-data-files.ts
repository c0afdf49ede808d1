import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { DatasetItem } from "../collect-items.ts";

/** Every file's SHA-256 by its relative path, and one digest of the whole set. */
export interface DataHashes {
  readonly files: ReadonlyMap<string, string>;
  /** SHA-256 of the sorted `<path> <sha256>` lines. */
  readonly dataSha256: string;
}

const sha256 = (bytes: Uint8Array | string): string =>
  createHash("sha256").update(bytes).digest("hex");

/**
 * Hashes a data set's files (read one at a time; each is already bounded by `collectItems`).
 *
 * @example
 * ```ts
 * const { dataSha256 } = await hashDataFiles(items);
 * ```
 */
export async function hashDataFiles(items: readonly DatasetItem[]): Promise<DataHashes> {
  const files = new Map<string, string>();
  for (const item of items) files.set(item.path, sha256(await readFile(item.absolutePath)));
  const lines = [...files].map(([path, hash]) => `${path} ${hash}`).sort();
  return { files, dataSha256: sha256(lines.join("\n")) };
}
