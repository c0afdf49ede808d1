/** An ES256 signature is the raw `r ‖ s` pair: 2 × 32 bytes. */
const ES256_SIGNATURE_BYTES = 64;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** How a compact JWS is spelled: what its signature covers, and whether the spelling is the one accepted. */
export interface CompactJwsSpelling {
  /** `header.payload` as sent: exactly what the signature covers, whatever the signature's spelling. */
  readonly signingInput: string;
  /**
   * Three segments of unpadded base64url (no `=`, no whitespace, no non-zero unused bits in a
   * last character) and a 64-byte ES256 signature.
   */
  readonly canonical: boolean;
}

/** True when `segment` is unpadded base64url whose last character carries no stray bits. */
function isCanonicalBase64url(segment: string): boolean {
  return (
    BASE64URL.test(segment) && Buffer.from(segment, "base64url").toString("base64url") === segment
  );
}

/**
 * Reads how a compact ES256 JWS is spelled. A signature has many encodings that a lenient JWS
 * decoder verifies (padding, whitespace, stray bits) and ECDSA lets anyone replace `s` by `n − s`;
 * none of them changes `signingInput`, so the replay register is keyed on it, and only the
 * canonical spelling is accepted. High `s` is canonical here: WebCrypto's ECDSA, which the SDK
 * signs with, does not normalise `s`, so a low-`s` rule would refuse about half of all genuine
 * tokens, and keying on `signingInput` already makes both signatures one token.
 *
 * @example
 * ```ts
 * const { signingInput, canonical } = compactJwsSpelling(token);
 * ```
 */
export function compactJwsSpelling(token: string): CompactJwsSpelling {
  const segments = token.split(".");
  const [header = "", payload = "", signature = ""] = segments;
  return {
    signingInput: `${header}.${payload}`,
    canonical:
      segments.length === 3 &&
      segments.every(isCanonicalBase64url) &&
      Buffer.from(signature, "base64url").length === ES256_SIGNATURE_BYTES,
  };
}
