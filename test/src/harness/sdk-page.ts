import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { BrowserContext, Page } from "playwright-core";
import { getModelSpec } from "@lumen/core";
import { RUNTIME_ASSETS } from "@lumen/sdk/runtime-assets";

/** The e2e package's root (`test/`). */
export const TEST_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The workspace's root. */
export const REPO_ROOT = join(TEST_ROOT, "..");
/** The models built by `pnpm models`. */
export const MODEL_DIR = join(REPO_ROOT, "models/dist");

const ORT_WEB = join(TEST_ROOT, "node_modules/onnxruntime-web/dist");

/** The SDK's worker, with its entry and the model ids it loads. */
const WORKERS = {
  analysis: {
    entry: join(REPO_ROOT, "packages/sdk/src/workers/analysis-worker.ts"),
    models: ["face-detector", "face-mesh", "minifasnet-v2-se", "mesonet4-df"],
  },
} as const;

/** A worker of `@lumen/sdk` that {@link prepareSdkPage} bundles and serves. */
export type SdkWorker = keyof typeof WORKERS;

/** Options of {@link prepareSdkPage}. */
export interface SdkPageOptions {
  /** The page: bundles `src/browser/sdk/<page>.ts` and serves `src/pages/<page>.html`. */
  readonly page: string;
  /** Where the bundles are written (the test's temp dir, which it deletes). */
  readonly dir: string;
  /** The SDK workers to bundle and serve with their runtime files and models. */
  readonly workers?: readonly SdkWorker[];
  /** Sources `connect-src` allows besides `'self'`, e.g. the API server's. */
  readonly connectSrc?: readonly string[];
  /** More CSP directives, appended as given. */
  readonly cspDirectives?: readonly string[];
}

/** The bundled page, ready for `serveStatic({ routes, headers: { "Content-Security-Policy": csp } })`. */
export interface SdkPage {
  /** URL path → file: the page, its bundle, the workers, their wasm and `/models/<file>`. */
  readonly routes: Record<string, string>;
  readonly csp: string;
  /** The bundles' code, to check what went into them. */
  readonly bundles: { readonly page: string } & Partial<Record<SdkWorker, string>>;
  /** The files under `/models/` (what the workers load). */
  readonly modelFiles: readonly string[];
}

async function bundle(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "warning",
  });
  return readFile(outfile, "utf8");
}

/**
 * Bundles an SDK test page (`src/browser/sdk/<page>.ts`) and the SDK workers it uses with
 * esbuild into `dir`, and returns the route map that serves them: `/index.html`, `/<page>.mjs`,
 * `/<worker>-worker.mjs`, onnxruntime-web's wasm under `/ort/` and the worker's models under
 * `/models/`; and the page's CSP (`wasm-unsafe-eval` and `worker-src 'self'` only when there are workers).
 *
 * @example
 * ```ts
 * const sdk = await prepareSdkPage({ page: "sdk-webgpu", dir, workers: ["analysis"] });
 * const server = await serveStatic({
 *   routes: { ...sdk.routes, "/frames/a.jpg": frame },
 *   headers: { "Content-Security-Policy": sdk.csp },
 * });
 * ```
 */
export async function prepareSdkPage(options: SdkPageOptions): Promise<SdkPage> {
  const { page, dir, workers = [] } = options;
  const routes: Record<string, string> = {
    "/index.html": join(TEST_ROOT, `src/pages/${page}.html`),
    [`/${page}.mjs`]: join(dir, `${page}.mjs`),
  };
  const bundles: { page: string } & Partial<Record<SdkWorker, string>> = {
    page: await bundle(join(TEST_ROOT, `src/browser/sdk/${page}.ts`), join(dir, `${page}.mjs`)),
  };
  const modelFiles: string[] = [];
  for (const worker of workers) {
    const file = `${worker}-worker.mjs`;
    bundles[worker] = await bundle(WORKERS[worker].entry, join(dir, file));
    routes[`/${file}`] = join(dir, file);
    modelFiles.push(...WORKERS[worker].models.map((id) => getModelSpec(id).file));
  }
  if (workers.includes("analysis")) {
    const { wasm, webgpu } = RUNTIME_ASSETS["onnxruntime-web"];
    for (const file of [wasm, webgpu]) routes[`/ort/${file}`] = join(ORT_WEB, file);
  }
  for (const file of modelFiles) routes[`/models/${file}`] = join(MODEL_DIR, file);
  const csp = [
    "default-src 'self'",
    workers.length > 0 ? "script-src 'self' 'wasm-unsafe-eval'" : "script-src 'self'",
    ["connect-src 'self'", ...(options.connectSrc ?? [])].join(" "),
    ...(workers.length > 0 ? ["worker-src 'self'"] : []),
    ...(options.cspDirectives ?? []),
  ].join("; ");
  return { routes, csp, bundles, modelFiles };
}

/**
 * Opens `${url}/index.html` in a new tab, logs its uncaught errors, and waits until the page
 * entry has installed its test API as `globalThis[name]`.
 *
 * @example
 * ```ts
 * const tab = await openSdkPage(browser.context, server.url, "lumenSdk");
 * ```
 */
export async function openSdkPage(
  context: BrowserContext,
  url: string,
  name: string,
  options: { readonly viewport?: { readonly width: number; readonly height: number } } = {},
): Promise<Page> {
  const tab = await context.newPage();
  if (options.viewport) await tab.setViewportSize(options.viewport);
  tab.on("pageerror", (error) => {
    console.error("page error:", error.message);
  });
  await tab.goto(`${url}/index.html`);
  await tab.waitForFunction((api) => api in globalThis, name);
  return tab;
}
