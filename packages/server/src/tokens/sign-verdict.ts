import { SignJWT } from "jose";
import { VERDICT_TOKEN_TYPE, type VerdictClaims } from "@lumen/protocol";
import type { KeyStore } from "../keys/key-store.ts";

/**
 * Signs the verdict JWT a relying party verifies with `verifyVerdict` and the JWKS.
 *
 * @example
 * ```ts
 * const verdict = await signVerdict({ iss, aud: keyId, sub: sessionId, ... }, keys);
 * ```
 */
export async function signVerdict(claims: VerdictClaims, keys: KeyStore): Promise<string> {
  const { kid, privateKey } = keys.signingKey();
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "ES256", kid, typ: VERDICT_TOKEN_TYPE })
    .sign(privateKey);
}
