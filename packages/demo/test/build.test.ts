import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const DEMO_ROOT = fileURLToPath(new URL("..", import.meta.url));
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "lumen-demo-build-"));
  await build({
    root: DEMO_ROOT,
    configFile: join(DEMO_ROOT, "vite.config.ts"),
    logLevel: "silent",
    build: { outDir, emptyOutDir: true },
  });
}, 120_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe("vite build", () => {
  it("builds both pages, each loading only same-origin scripts (the CSP has no 'unsafe-inline')", () => {
    for (const page of ["index.html", "lab.html"]) {
      const html = readFileSync(join(outDir, page), "utf8");
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1] ?? "");
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const attributes of scripts)
        expect(attributes, page).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(html, page).not.toContain("http");
    }
  });

  it("emits the SDK's module worker, one runtime, and points the page code at it", () => {
    const assets = readdirSync(join(outDir, "assets"));
    const workers = assets.filter((file) => /^\w+-worker-[\w-]+\.js$/.test(file));
    expect(workers.map((file) => file.split("-")[0])).toEqual(["analysis"]);
    // MediaPipe's runtime is neither bundled nor emitted.
    expect(assets.filter((file) => /vision_wasm|tasks-vision/.test(file))).toEqual([]);
    const code = assets
      .filter((file) => file.endsWith(".js") && !workers.includes(file))
      .map((file) => readFileSync(join(outDir, "assets", file), "utf8"))
      .join("\n");
    for (const worker of workers) {
      expect(code).toContain(`new Worker(new URL(\`/assets/${worker}\``);
    }
    // ES-module workers: the analysis worker imports nothing by importScripts.
    const analysis = readFileSync(
      join(outDir, "assets", workers.find((f) => f.startsWith("analysis")) ?? ""),
      "utf8",
    );
    expect(analysis).not.toContain("importScripts(");
    expect(analysis).toContain("em-pthread");
  });
});
