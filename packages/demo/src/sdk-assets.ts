import type { LivenessAssets } from "@lumen/sdk";

/**
 * Where the demo server hosts the SDK's files: the models `pnpm models` builds and
 * onnxruntime-web's WASM, both on the page's own origin.
 *
 * @example
 * ```ts
 * createLivenessSession({ ...session, assets: DEMO_ASSETS, display });
 * ```
 */
export const DEMO_ASSETS: LivenessAssets = {
  modelBaseUrl: new URL("/models/", location.href).href,
  wasmBaseUrl: new URL("/ort/", location.href).href,
};
