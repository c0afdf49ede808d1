import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const page = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  // The demo server hosts the models and the WASM runtime itself (/models, /ort):
  // nothing is copied into dist/.
  publicDir: false,
  build: {
    target: "es2022",
    rolldownOptions: { input: { index: page("index.html"), lab: page("lab.html") } },
  },
  // The SDK's workers are module workers (`new Worker(url, { type: "module" })`).
  worker: { format: "es" },
  // Dev server: the workers' dependencies are only found when a worker starts, and a late
  // discovery makes Vite reload the page mid-capture; pre-bundle them up front.
  optimizeDeps: {
    include: ["onnxruntime-web", "@lumen/sdk > comlink"],
  },
});
