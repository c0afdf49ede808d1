import {
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from "jose";
import { LumenError, VERDICT_TOKEN_TYPE, VerdictClaims } from "@lumen/protocol";

/** Options of {@link verifyVerdict}. */
export interface VerifyVerdictOptions {
  /** The server's `/.well-known/jwks.json` URL (fetched and cached), or the key set itself. */
  readonly jwks: URL | JSONWebKeySet;
  /** The Lumen server's issuer URL. */
  readonly issuer: string;
  /** Your API key id: verdicts are addressed to the key that created the session. */
  readonly audience: string;
  /** The time to check expiry against; now by default. */
  readonly currentDate?: Date;
}

const remoteSets = new Map<string, JWTVerifyGetKey>();

function keySet(jwks: URL | JSONWebKeySet): JWTVerifyGetKey {
  if (!(jwks instanceof URL)) return createLocalJWKSet(jwks);
  // One cached set per URL: jose's remote set caches keys and refetches on an unknown kid.
  let set = remoteSets.get(jwks.href);
  if (set === undefined) {
    set = createRemoteJWKSet(jwks);
    remoteSets.set(jwks.href, set);
  }
  return set;
}

/**
 * For relying parties: verifies a Lumen verdict JWT (ES256, `typ`, issuer, audience, expiry) and
 * returns its claims. Trust the decision only after this succeeds.
 *
 * @throws {LumenError} `TOKEN_INVALID`.
 * @example
 * ```ts
 * const verdict = await verifyVerdict(token, {
 *   jwks: new URL("https://kyc.example.com/.well-known/jwks.json"),
 *   issuer: "https://kyc.example.com",
 *   audience: "bank-backend",
 * });
 * if (verdict.decision === "pass") approve(verdict.reference);
 * ```
 */
export async function verifyVerdict(
  token: string,
  options: VerifyVerdictOptions,
): Promise<VerdictClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keySet(options.jwks), {
      algorithms: ["ES256"],
      typ: VERDICT_TOKEN_TYPE,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ["sub", "iat", "exp"],
      ...(options.currentDate === undefined ? {} : { currentDate: options.currentDate }),
    }));
  } catch (cause) {
    throw new LumenError("TOKEN_INVALID", "The verdict failed verification", { cause });
  }
  const parsed = VerdictClaims.safeParse(payload);
  if (!parsed.success) {
    throw new LumenError("TOKEN_INVALID", "The verdict's claims are malformed", {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
