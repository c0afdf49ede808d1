import { readdirSync, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIME_ASSETS } from "@lumen/sdk/runtime-assets";

const DEMO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** `models/dist`, what `pnpm models` builds. */
export const MODEL_DIR = resolve(DEMO_ROOT, "../../models/dist");
const ORT_DIST = join(DEMO_ROOT, "node_modules/onnxruntime-web/dist");

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".onnx": "application/octet-stream",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** The content type of a file the demo serves, by extension; `null` for anything else. */
export function contentTypeOf(file: string): string | null {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? null;
}

/**
 * The SDK's runtime files, by URL path: the models (`/models/*.onnx`, `manifest.json`) and
 * onnxruntime-web's WASM (`/ort/`). Exactly these files are served; the list is read once, at
 * start.
 *
 * @example
 * ```ts
 * const files = sdkAssetRoutes();
 * files.get("/ort/ort-wasm-simd-threaded.wasm"); // absolute path
 * ```
 */
export function sdkAssetRoutes(modelDir: string = MODEL_DIR): ReadonlyMap<string, string> {
  const routes = new Map<string, string>();
  const models = statSync(modelDir, { throwIfNoEntry: false })?.isDirectory()
    ? readdirSync(modelDir)
    : [];
  for (const file of models) {
    if (/^[\w.-]+\.onnx$/.test(file) || file === "manifest.json") {
      routes.set(`/models/${file}`, join(modelDir, file));
    }
  }
  for (const file of Object.values(RUNTIME_ASSETS["onnxruntime-web"])) {
    routes.set(`/ort/${file}`, join(ORT_DIST, file));
  }
  return routes;
}

/**
 * The file of `dir` a URL path names, or `null`: `/` is `index.html`; only plain names
 * (letters, digits, `_ - .`, no dot files, no `..`) of a known type inside `dir` resolve.
 *
 * @example
 * ```ts
 * siteFile("/var/dist", "/assets/index-abc.js"); // "/var/dist/assets/index-abc.js"
 * siteFile("/var/dist", "/../etc/passwd"); // null
 * ```
 */
export function siteFile(dir: string, pathname: string): string | null {
  const path = pathname === "/" ? "/index.html" : pathname;
  if (!/^(\/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}){1,8}$/.test(path)) return null;
  if (path.split("/").some((segment) => segment.includes(".."))) return null;
  if (contentTypeOf(path) === null) return null;
  const root = resolve(dir);
  const file = resolve(root, `.${path}`);
  if (!file.startsWith(root + sep)) return null;
  return statSync(file, { throwIfNoEntry: false })?.isFile() ? file : null;
}
