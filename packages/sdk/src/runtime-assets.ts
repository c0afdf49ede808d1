/**
 * The third-party runtime files the SDK's workers fetch, by package, as an integrator hosts them
 * (`wasmBaseUrl`). A browser without a WebGPU adapter fetches
 * onnxruntime-web's plain SIMD build only (3.5 MiB gzip); the JSEP build (6.3 MiB gzip), which
 * also runs WebGPU, is fetched only where a WebGPU adapter is used.
 */
export const RUNTIME_ASSETS = {
  "onnxruntime-web": {
    /** `onnxruntime-web/wasm`'s binary, for the WASM execution provider. */
    wasm: "ort-wasm-simd-threaded.wasm",
    /** The default build's binary (`onnxruntime-web`), for WebGPU; with its loader. */
    webgpu: "ort-wasm-simd-threaded.jsep.wasm",
    webgpuLoader: "ort-wasm-simd-threaded.jsep.mjs",
  },
} as const;
