import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { CLIENT_TOKEN_AUDIENCE, CLIENT_TOKEN_TYPE, LumenError } from "@lumen/protocol";
import type { KeyStore } from "../keys/key-store.ts";

/** What signs and checks client tokens. */
export interface ClientTokenContext {
  readonly keys: KeyStore;
  readonly issuer: string;
  readonly nowMs: number;
}

/**
 * Signs the short-lived token the browser SDK uses to start one session: `aud` is the SDK,
 * `sub` the session, and it expires with the session.
 *
 * @example
 * ```ts
 * const clientToken = await issueClientToken(sessionId, expiresAt, { keys, issuer, nowMs });
 * ```
 */
export async function issueClientToken(
  sessionId: string,
  expiresAtMs: number,
  context: ClientTokenContext,
): Promise<string> {
  const { kid, privateKey } = context.keys.signingKey();
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid, typ: CLIENT_TOKEN_TYPE })
    .setIssuer(context.issuer)
    .setAudience(CLIENT_TOKEN_AUDIENCE)
    .setSubject(sessionId)
    .setIssuedAt(Math.floor(context.nowMs / 1000))
    .setExpirationTime(Math.ceil(expiresAtMs / 1000))
    .sign(privateKey);
}

/**
 * Checks a client token and returns the session id it is bound to.
 *
 * @throws {LumenError} `UNAUTHORIZED` when the token is not one this server issued, or expired.
 * @example
 * ```ts
 * const sessionId = await verifyClientToken(bearer, { keys, issuer, nowMs });
 * ```
 */
export async function verifyClientToken(
  token: string,
  context: ClientTokenContext,
): Promise<string> {
  try {
    const { payload } = await jwtVerify(
      token,
      createLocalJWKSet(context.keys.jwks(context.nowMs)),
      {
        algorithms: ["ES256"],
        typ: CLIENT_TOKEN_TYPE,
        issuer: context.issuer,
        audience: CLIENT_TOKEN_AUDIENCE,
        requiredClaims: ["sub", "exp"],
        currentDate: new Date(context.nowMs),
        clockTolerance: 5,
      },
    );
    if (payload.sub === undefined) throw new Error("no sub");
    return payload.sub;
  } catch (cause) {
    throw new LumenError("UNAUTHORIZED", "The client token is invalid or expired", { cause });
  }
}
