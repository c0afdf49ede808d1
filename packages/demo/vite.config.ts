import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  // Serve exactly what `pnpm models` built, so the page never sees another copy of a model.
  publicDir: fileURLToPath(new URL("../../models/dist", import.meta.url)),
});
