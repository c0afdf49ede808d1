import { LumenError } from "@lumen/protocol";

/** The browser features a session needs, looked up before any camera or model is touched. */
export interface SupportReport {
  readonly missing: readonly string[];
}

/**
 * Lists the features this browser lacks: camera access, WebAssembly, OffscreenCanvas (JPEG
 * evidence in the worker), WebCrypto (device key, model pins), module workers.
 *
 * @example
 * ```ts
 * if (checkSupport().missing.length > 0) showUnsupportedBrowserPage();
 * ```
 */
export function checkSupport(scope: object = globalThis): SupportReport {
  // Anything may be missing in an old or locked-down browser, whatever the DOM types say.
  const s = scope as Partial<{
    navigator: Partial<{ mediaDevices: Partial<MediaDevices> }>;
    WebAssembly: Partial<typeof WebAssembly>;
    OffscreenCanvas: unknown;
    crypto: Partial<{ subtle: Partial<SubtleCrypto> }>;
    Worker: unknown;
    createImageBitmap: unknown;
  }>;
  const missing: string[] = [];
  if (typeof s.navigator?.mediaDevices?.getUserMedia !== "function") missing.push("getUserMedia");
  if (typeof s.WebAssembly?.instantiate !== "function") missing.push("WebAssembly");
  if (typeof s.OffscreenCanvas !== "function") missing.push("OffscreenCanvas");
  if (typeof s.crypto?.subtle?.generateKey !== "function") missing.push("crypto.subtle");
  if (typeof s.Worker !== "function") missing.push("Worker");
  if (typeof s.createImageBitmap !== "function") missing.push("createImageBitmap");
  return { missing };
}

/**
 * Throws `UNSUPPORTED_BROWSER` naming every missing feature.
 *
 * @throws {LumenError} `UNSUPPORTED_BROWSER`.
 * @example
 * ```ts
 * assertSupported(); // before loading any model
 * ```
 */
export function assertSupported(scope: object = globalThis): void {
  const { missing } = checkSupport(scope);
  if (missing.length > 0) {
    throw new LumenError(
      "UNSUPPORTED_BROWSER",
      `This browser lacks ${missing.join(", ")}, which Lumen needs`,
    );
  }
}
