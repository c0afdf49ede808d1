import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The relying parties' API keys, held only as SHA-256 hashes. A presented secret is hashed and
 * compared with every stored hash in constant time, so neither timing nor a memory dump reveals a
 * key.
 *
 * @example
 * ```ts
 * const registry = new ApiKeyRegistry([{ id: "bank", secret: "s3cr3t-…" }]);
 * registry.authenticate(bearer); // "bank" or null
 * ```
 */
export class ApiKeyRegistry {
  readonly #keys: readonly { readonly id: string; readonly hash: Buffer }[];

  constructor(keys: readonly { readonly id: string; readonly secret: string }[]) {
    this.#keys = keys.map(({ id, secret }) => ({ id, hash: sha256(secret) }));
  }

  /** The key id owning `secret`, or null. */
  authenticate(secret: string): string | null {
    const presented = sha256(secret);
    let match: string | null = null;
    // No early exit: every comparison runs whatever matches.
    for (const key of this.#keys) {
      if (timingSafeEqual(key.hash, presented) && match === null) match = key.id;
    }
    return match;
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
