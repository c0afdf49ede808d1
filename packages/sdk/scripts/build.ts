// Builds the distributable SDK into `dist/`: the ESM bundle, the module worker, the wasm
// files to host, and the declarations. `pnpm --filter @lumen/sdk build [--outdir <dir>]`.
import { execFile } from "node:child_process";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import { RUNTIME_ASSETS } from "../src/runtime-assets.ts";

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(PACKAGE_ROOT, "package.json"));

/** The bundles, by output name (`<name>.js`), and their sources. */
export const BUNDLES = {
  "lumen-sdk": "src/index.ts",
  "analysis-worker": "src/workers/analysis-worker.ts",
} as const;

/** The third-party files copied verbatim into `wasm/`, by package. */
export const WASM_ASSETS: Readonly<Record<keyof typeof RUNTIME_ASSETS, readonly string[]>> = {
  "onnxruntime-web": Object.values(RUNTIME_ASSETS["onnxruntime-web"]),
};

/** Where `packageName`'s `file` lives in its published package. */
function assetSource(packageName: keyof typeof WASM_ASSETS, file: string): string {
  // Direct dependencies are linked into the package's own node_modules (their `exports` hide
  // package.json).
  const root = join(PACKAGE_ROOT, "node_modules", packageName);
  return join(root, "dist", file);
}

/** Replaces `search` in `text` exactly `count` times, or throws: the build never half-applies. */
function replaceExactly(text: string, search: RegExp, replacement: string, count: number): string {
  const found = text.match(search)?.length ?? 0;
  if (found !== count) {
    throw new Error(`expected ${count} match(es) of ${search} in the source, found ${found}`);
  }
  return text.replace(search, replacement);
}

/**
 * The default worker: in the sources `./workers/analysis-worker.ts` (what Vite's dev server
 * serves), in the build the sibling module `./analysis-worker.js`, resolved against the bundle's
 * `import.meta.url`.
 */
const workerUrls: Plugin = {
  name: "lumen-worker-urls",
  setup(context) {
    context.onLoad({ filter: /[\\/]src[\\/]liveness-session-options\.ts$/ }, async (args) => {
      const contents = replaceExactly(
        await readFile(args.path, "utf8"),
        /(["'])\.\/workers\/analysis-worker\.ts\1/g,
        '"./analysis-worker.js"',
        1,
      );
      return { contents, loader: "ts" };
    });
  },
};

/**
 * onnxruntime-web's bundle keeps three Node-only branches (reading a model from a file path,
 * counting CPUs without `navigator`) as `require("node:…")` through esbuild's shim. A browser
 * never takes them; they become a throw, so the emitted JavaScript names no Node module at all.
 */
const stripNodeBranches: Plugin = {
  name: "strip-onnxruntime-node-branches",
  setup(context) {
    context.onLoad({ filter: /[\\/]onnxruntime-web[\\/]dist[\\/][^\\/]+\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const contents = replaceExactly(
        source,
        /\b[\w$]+\("node:([a-z_/]+)"\)/g,
        '(()=>{throw new Error("onnxruntime-web: Node-only code in a browser")})()',
        3,
      );
      return { contents, loader: "js" };
    });
  },
};

const run = promisify(execFile);

/** Writes the declarations into `<outDir>/types`, with `.js` relative specifiers. */
async function emitDeclarations(outDir: string): Promise<void> {
  const types = join(outDir, "types");
  const tsc = require.resolve("typescript/bin/tsc");
  try {
    await run(process.execPath, [
      tsc,
      "-p",
      join(PACKAGE_ROOT, "tsconfig.build.json"),
      "--declarationDir",
      types,
    ]);
  } catch (error) {
    // A type error fails the build: declarations of code that does not type-check are wrong.
    const { stdout } = error as { stdout?: string };
    throw new Error(`tsc failed to emit the declarations:\n${stdout ?? String(error)}`, {
      cause: error,
    });
  }
  // tsc keeps `./x.ts` in declarations (rewriteRelativeImportExtensions only rewrites JS):
  // consumers without allowImportingTsExtensions need `./x.js`, which resolves to `./x.d.ts`.
  const files = await readdir(types, { recursive: true });
  await Promise.all(
    files
      .filter((file) => file.endsWith(".d.ts"))
      .map(async (file) => {
        const path = join(types, file);
        const text = await readFile(path, "utf8");
        const rewritten = text.replace(
          /((?:from|import\()\s*["']\.{1,2}\/[^"']*)\.ts(["'])/g,
          "$1.js$2",
        );
        if (rewritten !== text) await writeFile(path, rewritten);
      }),
  );
}

/** What {@link buildSdk} wrote, relative to `outDir`. */
export interface BuildResult {
  readonly outDir: string;
  readonly files: readonly string[];
  readonly ms: number;
}

/**
 * Builds the SDK into `outDir` (emptied first): `lumen-sdk.js` and `analysis-worker.js` (ES
 * modules, minified, with source maps), `wasm/` (onnxruntime-web's wasm and loader, verbatim)
 * and `types/`.
 *
 * @example
 * ```ts
 * const { files, ms } = await buildSdk({ outDir: "/tmp/lumen-sdk" });
 * ```
 */
export async function buildSdk(options: { readonly outDir?: string } = {}): Promise<BuildResult> {
  const startedAt = performance.now();
  const outDir = resolve(options.outDir ?? join(PACKAGE_ROOT, "dist"));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, "wasm"), { recursive: true });
  const copies = Object.entries(WASM_ASSETS).flatMap(([packageName, files]) =>
    files.map(async (file) => {
      await copyFile(
        assetSource(packageName as keyof typeof WASM_ASSETS, file),
        join(outDir, "wasm", file),
      );
      return `wasm/${file}`;
    }),
  );
  const [bundled, copied] = await Promise.all([
    build({
      absWorkingDir: PACKAGE_ROOT,
      entryPoints: Object.entries(BUNDLES).map(([out, entry]) => ({ in: entry, out })),
      outdir: outDir,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      sourcemap: "linked",
      legalComments: "eof",
      metafile: true,
      logLevel: "warning",
      plugins: [workerUrls, stripNodeBranches],
    }),
    Promise.all(copies),
    emitDeclarations(outDir),
  ]);
  const emitted = Object.keys(bundled.metafile.outputs).map((file) =>
    relative(outDir, resolve(PACKAGE_ROOT, file)),
  );
  return {
    outDir,
    files: [...emitted, ...copied, "types/"].sort(),
    ms: performance.now() - startedAt,
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--outdir");
  const outDir = at === -1 ? undefined : process.argv[at + 1];
  const result = await buildSdk(outDir === undefined ? {} : { outDir });
  for (const file of result.files.filter((name) => !name.endsWith("/"))) {
    const bytes = await readFile(join(result.outDir, file));
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(
      `${file.padEnd(40)} ${kib(bytes.length).padStart(11)}  gzip ${kib(gzipSync(bytes).length)}`,
    );
  }
  console.log(
    `built ${relative(process.cwd(), result.outDir) || "."} in ${Math.round(result.ms)} ms`,
  );
}
