import { SignJWT } from "jose";
import { RESULT_TOKEN_TYPE, type ResultTokenClaims } from "@lumen/protocol";

/**
 * Signs the result token with the session's device key: ES256, `typ: lumen-result+jwt`, the v1
 * claims exactly (the server parses them strictly).
 *
 * @example
 * ```ts
 * const token = await signResultToken(claims, deviceKey.privateKey);
 * ```
 */
export function signResultToken(claims: ResultTokenClaims, privateKey: CryptoKey): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "ES256", typ: RESULT_TOKEN_TYPE })
    .sign(privateKey);
}
