import { importJWK, jwtVerify } from "jose";
import { LRUCache } from "lru-cache";
import {
  LumenError,
  RESULT_TOKEN_TYPE,
  ResultTokenClaims,
  type DevicePublicJwk,
} from "@lumen/protocol";

/** Options of {@link verifyResultToken}. */
export interface VerifyResultTokenOptions {
  readonly nowMs: number;
  /** Allowed clock skew between the browser and the server. */
  readonly clockToleranceSeconds: number;
}

/**
 * Device keys already imported, by their coordinates: an upload retried, or a token validated
 * again, skips the import (about a third of a validation's cost). The coordinates are the whole
 * key, so an entry can only ever stand for the same key; 4096 entries of about 1 kB each.
 */
const importedKeys = new LRUCache<string, Awaited<ReturnType<typeof importJWK>>>({ max: 4096 });

async function importDeviceKey({ kty, crv, x, y }: DevicePublicJwk) {
  const id = `${crv}.${x}.${y}`;
  const cached = importedKeys.get(id);
  if (cached) return cached;
  const key = await importJWK({ kty, crv, x, y }, "ES256");
  importedKeys.set(id, key);
  return key;
}

/**
 * Verifies a result token against the device key bound at start: ES256 only (no `none`, no HMAC
 * with the public key as secret), the explicit `typ`, `iat`/`exp` with a small tolerance, and the
 * strict v1 claims. Session and nonce binding are the caller's, which knows the session.
 *
 * @throws {LumenError} `TOKEN_INVALID`.
 * @example
 * ```ts
 * const claims = await verifyResultToken(token, session.devicePublicKey, { nowMs, clockToleranceSeconds: 5 });
 * ```
 */
export async function verifyResultToken(
  token: string,
  deviceKey: DevicePublicJwk,
  options: VerifyResultTokenOptions,
): Promise<ResultTokenClaims> {
  let payload: unknown;
  try {
    const key = await importDeviceKey(deviceKey);
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ["ES256"],
      typ: RESULT_TOKEN_TYPE,
      requiredClaims: ["iat", "exp"],
      currentDate: new Date(options.nowMs),
      clockTolerance: options.clockToleranceSeconds,
    }));
  } catch (cause) {
    throw new LumenError("TOKEN_INVALID", "The result token failed verification", { cause });
  }
  const parsed = ResultTokenClaims.safeParse(payload);
  if (!parsed.success) {
    throw new LumenError("TOKEN_INVALID", "The result token's claims are malformed", {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
