/**
 * SHA-256 of some bytes as 64 lower-case hex digits, with WebCrypto (browser, worker, Node).
 *
 * @example
 * ```ts
 * await sha256Hex(new TextEncoder().encode("abc")); // "ba7816bf…"
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // WebCrypto refuses views over SharedArrayBuffer; copy only in that rare case.
  const data =
    bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
