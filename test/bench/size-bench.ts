// What a user downloads: the SDK's build (`pnpm --filter @lumen/sdk build`) gzipped, and the
// models' bytes from models/dist/manifest.json.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { RUNTIME_ASSETS } from "@lumen/sdk/runtime-assets";
import { MODEL_DIR, REPO_ROOT } from "../src/harness/index.ts";
import { figure, progress, type Figure } from "./lib/figures.ts";

/** The models the SDK's worker loads (the rest of the manifest is server-side or spare). */
const SDK_MODELS = ["face-detector", "face-mesh", "minifasnet-v2-se", "mesonet4-df"];
const KIB = 1024;
const MIB = 1024 * 1024;

interface ManifestModel {
  readonly id: string;
  readonly bytes: number;
}

function manifestModels(json: unknown): ManifestModel[] {
  const models = (json as { models?: unknown }).models;
  if (!Array.isArray(models)) throw new Error("manifest.json has no models array");
  return models.map((entry: unknown) => {
    const { id, bytes } = entry as { id?: unknown; bytes?: unknown };
    if (typeof id !== "string" || typeof bytes !== "number" || !(bytes > 0)) {
      throw new Error(`manifest.json: a model without id or bytes: ${JSON.stringify(entry)}`);
    }
    return { id, bytes };
  });
}

/** onnxruntime-web's files only a browser that runs the models on WebGPU fetches. */
const WEBGPU_ONLY: readonly string[] = [
  RUNTIME_ASSETS["onnxruntime-web"].webgpu,
  RUNTIME_ASSETS["onnxruntime-web"].webgpuLoader,
].map((file) => `wasm/${file}`);

/**
 * Gzipped size (level 9, as a CDN would serve it) of each file under `dir`, by part: what a
 * browser without WebGPU fetches, and apart the WebGPU build's binary.
 */
async function gzipSizes(
  dir: string,
): Promise<Record<"bundle" | "workers" | "wasm" | "webGpuWasm", number>> {
  const sizes = { bundle: 0, workers: 0, wasm: 0, webGpuWasm: 0 };
  for (const file of await readdir(dir, { recursive: true })) {
    // What a browser fetches: no source maps, no declarations, no licence text.
    if (file.startsWith("types") || file.endsWith(".map") || !/\.(js|mjs|wasm)$/.test(file)) {
      continue;
    }
    const gzipped = gzipSync(await readFile(join(dir, file)), { level: 9 }).length;
    if (WEBGPU_ONLY.includes(file)) sizes.webGpuWasm += gzipped;
    else if (file.startsWith("wasm/")) sizes.wasm += gzipped;
    else if (file.endsWith("-worker.js")) sizes.workers += gzipped;
    else sizes.bundle += gzipped;
    progress(`sizes: ${file} ${(gzipped / KIB).toFixed(1)} KiB gzip`);
  }
  return sizes;
}

/**
 * Builds the SDK into a temp dir and measures it, and sums the models' bytes.
 *
 * @example
 * ```ts
 * log.add(...(await benchSizes()));
 * ```
 */
export async function benchSizes(): Promise<Figure[]> {
  const outDir = await mkdtemp(join(tmpdir(), "lumen-bench-sdk-"));
  try {
    progress("sizes: pnpm --filter @lumen/sdk build");
    await promisify(execFile)(
      "pnpm",
      ["--filter", "@lumen/sdk", "run", "build", "--outdir", outDir],
      { cwd: REPO_ROOT },
    );
    const sizes = await gzipSizes(outDir);
    const models = manifestModels(
      JSON.parse(await readFile(join(MODEL_DIR, "manifest.json"), "utf8")),
    );
    const sdkModels = models.filter(({ id }) => SDK_MODELS.includes(id));
    if (sdkModels.length !== SDK_MODELS.length) {
      throw new Error(`manifest.json lacks some of ${SDK_MODELS.join(", ")}`);
    }
    const sum = (list: readonly ManifestModel[]) => list.reduce((s, { bytes }) => s + bytes, 0);
    return [
      figure("sdk.download_gzip", (sizes.bundle + sizes.workers + sizes.wasm) / KIB, "KiB"),
      figure("sdk.bundle_gzip", sizes.bundle / KIB, "KiB"),
      figure("sdk.workers_gzip", sizes.workers / KIB, "KiB"),
      figure("sdk.wasm_gzip", sizes.wasm / KIB, "KiB"),
      figure("sdk.webgpu_wasm_gzip", sizes.webGpuWasm / KIB, "KiB"),
      figure("models.bytes", sum(models) / MIB, "MiB"),
      figure("models.sdk_bytes", sum(sdkModels) / MIB, "MiB"),
    ];
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
