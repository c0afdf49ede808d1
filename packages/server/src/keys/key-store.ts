import type { CryptoKey, JSONWebKeySet } from "jose";

/** The private key new tokens are signed with. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/**
 * The server's ES256 signing keys. One key signs; retired keys stay published in the JWKS until
 * every token they signed has expired, so rotation never breaks a verdict already issued.
 *
 * @example
 * ```ts
 * const { kid, privateKey } = keys.signingKey();
 * await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid }).sign(privateKey);
 * ```
 */
export interface KeyStore {
  signingKey(): SigningKey;
  /** The public keys whose tokens may still be valid at `nowMs`. */
  jwks(nowMs: number): JSONWebKeySet;
  /** Makes a fresh key the signing key and retires the current one. */
  rotate(nowMs: number): Promise<SigningKey>;
}
