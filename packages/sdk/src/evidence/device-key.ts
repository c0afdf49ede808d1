import type { DevicePublicJwk } from "@lumen/protocol";

/** A per-session ES256 key pair: the private half never leaves WebCrypto. */
export interface DeviceKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: DevicePublicJwk;
}

/**
 * Creates the session's device key: ECDSA P-256, the private key non-extractable (script can
 * sign with it, never read it), the public half exported as the JWK the server binds at start.
 *
 * @example
 * ```ts
 * const key = await createDeviceKey();
 * key.privateKey.extractable; // false
 * ```
 */
export async function createDeviceKey(subtle: SubtleCrypto = crypto.subtle): Promise<DeviceKey> {
  const pair = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
    "sign",
    "verify",
  ]);
  const jwk = await subtle.exportKey("jwk", pair.publicKey);
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || jwk.x === undefined || jwk.y === undefined) {
    throw new Error("WebCrypto exported an unexpected public key");
  }
  return {
    privateKey: pair.privateKey,
    publicJwk: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
  };
}
