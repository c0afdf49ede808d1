import { randomUUID } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { LumenError } from "@lumen/protocol";
import type { KeyStore, SigningKey } from "./key-store.ts";

/** Options of {@link createKeyStore}. */
export interface KeyStoreOptions {
  /** JSON file holding the keys (mode 0600); omitted: keys live in memory only (tests). */
  readonly file?: string;
  readonly nowMs: number;
  /**
   * How long a retired key stays in the JWKS: at least the longest lifetime of anything it
   * signed (the verdict retention).
   */
  readonly retiredKeyLifetimeMs: number;
}

interface StoredKey {
  kid: string;
  createdAt: number;
  retiredAt: number | null;
  privateJwk: JWK;
}

interface LoadedKey {
  readonly stored: StoredKey;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function load(stored: StoredKey): Promise<LoadedKey> {
  const privateKey = await importJWK(stored.privateJwk, "ES256");
  if (privateKey instanceof Uint8Array || privateKey.type !== "private") {
    throw new LumenError("INTERNAL", `Signing key ${stored.kid} is not an EC private key`);
  }
  const { kty, crv, x, y } = stored.privateJwk;
  if (kty !== "EC" || crv !== "P-256" || x === undefined || y === undefined) {
    throw new LumenError("INTERNAL", `Signing key ${stored.kid} is not an ES256 key`);
  }
  return {
    stored,
    privateKey,
    publicJwk: { kty, crv, x, y, kid: stored.kid, alg: "ES256", use: "sig" },
  };
}

async function generate(nowMs: number): Promise<LoadedKey> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  return load({ kid: randomUUID(), createdAt: nowMs, retiredAt: null, privateJwk });
}

/**
 * A {@link KeyStore} persisted as a JSON file in the data folder, generating its first key on first
 * start. Writes go to a temporary file renamed into place, so a crash never leaves half a key file.
 *
 * @example
 * ```ts
 * const keys = await createKeyStore({ file: join(dataDir, "signing-keys.json"), nowMs: Date.now(), retiredKeyLifetimeMs: 30 * 864e5 });
 * ```
 */
export async function createKeyStore(options: KeyStoreOptions): Promise<KeyStore> {
  const { file, retiredKeyLifetimeMs } = options;
  let keys: LoadedKey[] = [];
  if (file !== undefined) {
    let text: string | null = null;
    try {
      text = await readFile(file, "utf8");
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new LumenError("INTERNAL", `Signing keys in ${file} cannot be read`, { cause });
      }
    }
    if (text !== null) keys = await Promise.all((JSON.parse(text) as StoredKey[]).map(load));
  }
  const save = async (): Promise<void> => {
    if (file === undefined) return;
    const tmp = `${file}.${String(process.pid)}.tmp`;
    await writeFile(tmp, JSON.stringify(keys.map((key) => key.stored)), { mode: 0o600 });
    await rename(tmp, file);
  };
  const active = (): LoadedKey | undefined => keys.find((key) => key.stored.retiredAt === null);
  if (active() === undefined) {
    keys.push(await generate(options.nowMs));
    await save();
  }
  const signingKey = (): SigningKey => {
    const key = active();
    if (key === undefined) throw new LumenError("INTERNAL", "No active signing key");
    return { kid: key.stored.kid, privateKey: key.privateKey };
  };
  return {
    signingKey,
    jwks: (nowMs) => ({
      keys: keys
        .filter(
          ({ stored }) =>
            stored.retiredAt === null || stored.retiredAt + retiredKeyLifetimeMs > nowMs,
        )
        .map((key) => key.publicJwk),
    }),
    rotate: async (nowMs) => {
      const fresh = await generate(nowMs);
      keys = [
        ...keys
          .filter(
            ({ stored }) =>
              stored.retiredAt === null || stored.retiredAt + retiredKeyLifetimeMs > nowMs,
          )
          .map((key) =>
            key.stored.retiredAt === null
              ? { ...key, stored: { ...key.stored, retiredAt: nowMs } }
              : key,
          ),
        fresh,
      ];
      await save();
      return signingKey();
    },
  };
}
