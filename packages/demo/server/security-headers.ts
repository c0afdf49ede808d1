/**
 * The headers of every demo response. COOP + COEP make the page cross-origin isolated, which
 * onnxruntime-web needs for WASM threads (SharedArrayBuffer); the CSP is the SDK's documented
 * one with the Lumen server in `connect-src`.
 *
 * `style-src 'unsafe-inline'`: `<lumen-liveness>` styles its shadow root with a `<style>`
 * element, which a CSP without it blocks.
 *
 * @example
 * ```ts
 * for (const [name, value] of Object.entries(securityHeaders("http://127.0.0.1:8787"))) {
 *   res.setHeader(name, value);
 * }
 * ```
 */
export function securityHeaders(lumenOrigin: string): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    `connect-src 'self' ${lumenOrigin}`,
    "img-src 'self' blob: data:",
    // The camera preview plays a MediaStream; the attack lab decodes the chosen video from a blob.
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": csp,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
  };
}
