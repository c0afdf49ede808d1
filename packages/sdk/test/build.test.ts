/// <reference types="node" />
// The distributable build (`pnpm --filter @lumen/sdk build`): ESM for the browser, the worker and
// the wasm as files to host, declarations, and not a single Node import in what it bundles.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSdk, BUNDLES, WASM_ASSETS, type BuildResult } from "../scripts/build.ts";

const PACKAGE_ROOT = join(import.meta.dirname, "..");
const BUNDLE_FILES = Object.keys(BUNDLES).map((name) => `${name}.js`);

/** Whether Node parses `code` with `--input-type` (module or commonjs), without running it. */
function parses(code: string, inputType: "module" | "commonjs"): boolean {
  const result = spawnSync(process.execPath, ["--check", `--input-type=${inputType}`, "-"], {
    input: code,
    encoding: "utf8",
  });
  return result.status === 0;
}

describe("the built SDK", () => {
  let result: BuildResult;
  const read = (file: string) => readFile(join(result.outDir, file), "utf8");

  beforeAll(async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lumen-sdk-build-"));
    result = await buildSdk({ outDir });
    const main = await readFile(join(outDir, "lumen-sdk.js"));
    console.log(
      `SDK build: ${Math.round(result.ms)} ms; lumen-sdk.js ${main.length} bytes, ` +
        `gzip ${gzipSync(main).length} bytes`,
    );
  }, 120_000);

  afterAll(async () => {
    await rm(result.outDir, { recursive: true, force: true });
  });

  it("emits the bundle, the worker, the wasm files and the declarations", () => {
    const wasm = Object.values(WASM_ASSETS).flatMap((files) => files.map((f) => `wasm/${f}`));
    expect(result.files).toEqual(
      expect.arrayContaining([
        ...BUNDLE_FILES,
        ...BUNDLE_FILES.map((file) => `${file}.map`),
        ...wasm,
        "types/",
      ]),
    );
  });

  it("emits ES modules: the bundle and the worker parse as modules, not as scripts", async () => {
    for (const file of BUNDLE_FILES) {
      expect(parses(await read(file), "module"), file).toBe(true);
    }
    const main = await read("lumen-sdk.js");
    expect(main).toMatch(/export\s*\{[^}]*\bcreateLivenessSession\b/);
    expect(main).toMatch(/export\s*\{[^}]*\bdefineLumenLiveness\b/);
    expect(parses(main, "commonjs")).toBe(false);
    // import.meta: only a module worker can run it.
    expect(parses(await read("analysis-worker.js"), "commonjs")).toBe(false);
  });

  it("starts its default worker from the sibling file, relative to the bundle", async () => {
    const main = await read("lumen-sdk.js");
    expect(main).toContain(`new URL("./analysis-worker.js",import.meta.url)`);
    expect(main).not.toContain("./workers/");
    // The models run in the worker: the page bundle carries no inference runtime.
    expect(main).not.toContain("InferenceSession");
    const worker = await read("analysis-worker.js");
    expect(worker).toContain("InferenceSession");
    // One runtime: MediaPipe's is neither bundled nor fetched.
    expect(worker).not.toContain("FaceLandmarker");
    expect(worker).not.toContain("vision_wasm");
  });

  it("names no Node module anywhere in the JavaScript it bundles", async () => {
    for (const file of BUNDLE_FILES) {
      const code = await read(file);
      expect(code, file).not.toMatch(/\bnode:[a-z]/);
      expect(code, file).not.toMatch(/\brequire\(\s*["']/);
      expect(code, file).not.toMatch(/\bimport\(\s*["'](?:fs|path|url|os|module|worker_threads)/);
    }
  });

  it("copies onnxruntime-web's wasm and loader verbatim", async () => {
    for (const [packageName, files] of Object.entries(WASM_ASSETS)) {
      for (const file of files) {
        const original = await readFile(
          join(PACKAGE_ROOT, "node_modules", packageName, "dist", file),
        );
        const copy = await readFile(join(result.outDir, "wasm", file));
        expect(copy.equals(original), file).toBe(true);
      }
    }
  });

  it("declares the public API with .js specifiers", async () => {
    const index = await read("types/index.d.ts");
    expect(index).toContain('export { createLivenessSession } from "./create-liveness-session.js"');
    expect(index).toContain('export { defineLumenLiveness } from "./ui/define-lumen-liveness.js"');
    expect(await read("types/create-liveness-session.d.ts")).toContain(
      "export declare function createLivenessSession(",
    );
    expect(await read("types/ui/define-lumen-liveness.d.ts")).toContain(
      "export declare function defineLumenLiveness(",
    );
    const declarations = (await readdir(join(result.outDir, "types"), { recursive: true })).filter(
      (file) => file.endsWith(".d.ts"),
    );
    expect(declarations.length).toBeGreaterThan(20);
    for (const file of declarations) {
      expect(await read(join("types", file)), file).not.toMatch(/["']\.{1,2}\/[^"']*\.ts["']/);
    }
  });
});
