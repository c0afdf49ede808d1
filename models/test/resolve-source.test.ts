import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "@lumen/core";
import { LumenError } from "@lumen/protocol";
import type { SourceFile } from "../src/sources/source-file.ts";
import { resolveSource, type SourceLocations } from "../src/sources/resolve-source.ts";
import { SOURCE_FILES } from "../src/sources/source-files.ts";

const content = new TextEncoder().encode("upstream weights");
const requireFrom = new URL("../package.json", import.meta.url).pathname;

async function mirroredSource(): Promise<SourceFile> {
  return {
    id: "weights.bin",
    sha256: await sha256Hex(content),
    licence: "Apache-2.0",
    origin: "example/repo@abc, weights.bin",
    url: "https://example.invalid/weights.bin",
    mirrorPath: "example/weights.bin",
  };
}

async function locations(overrides: Partial<SourceLocations> = {}): Promise<SourceLocations> {
  const dir = await mkdtemp(join(tmpdir(), "lumen-sources-"));
  return {
    mirrorDir: join(dir, "mirror"),
    cacheDir: join(dir, "cache"),
    fetch: () => Promise.reject(new TypeError("fetch failed: offline")),
    requireFrom,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<LumenError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LumenError);
  return err as LumenError;
}

describe("resolveSource", () => {
  it("reads the pinned file from its npm package first", async () => {
    const bytes = await resolveSource(SOURCE_FILES.faceMeshAssetsLoader, await locations());
    expect(await sha256Hex(bytes)).toBe(SOURCE_FILES.faceMeshAssetsLoader.sha256);
  });

  it("reads a mirrored file from the mirror folder", async () => {
    const where = await locations();
    await mkdir(join(where.mirrorDir ?? "", "example"), { recursive: true });
    await writeFile(join(where.mirrorDir ?? "", "example/weights.bin"), content);
    expect(await resolveSource(await mirroredSource(), where)).toEqual(content);
  });

  it("fails a missing file with an error naming it and every place looked at", async () => {
    const where = await locations();
    const err = await failure(resolveSource(await mirroredSource(), where));
    expect(err.code).toBe("MODEL_NOT_FOUND");
    expect(err.message).toContain("weights.bin");
    expect(err.message).toContain(join(where.mirrorDir ?? "", "example/weights.bin"));
    expect(err.message).toContain("https://example.invalid/weights.bin (fetch failed: offline)");
  });

  it("says so when no mirror is configured", async () => {
    const err = await failure(
      resolveSource(await mirroredSource(), await locations({ mirrorDir: undefined })),
    );
    expect(err.message).toContain("LUMEN_MODEL_MIRROR");
  });

  it("stops at a mirrored file whose SHA-256 differs from the pin", async () => {
    const where = await locations();
    const tampered = content.slice();
    tampered[0] = (tampered[0] ?? 0) ^ 0xff;
    await mkdir(join(where.mirrorDir ?? "", "example"), { recursive: true });
    await writeFile(join(where.mirrorDir ?? "", "example/weights.bin"), tampered);
    const err = await failure(resolveSource(await mirroredSource(), where));
    expect(err.code).toBe("MODEL_INTEGRITY_FAILED");
    expect(err.message).toContain(join(where.mirrorDir ?? "", "example/weights.bin"));
  });

  it("downloads from the canonical URL last, checks it and caches it", async () => {
    const source = await mirroredSource();
    const requested: string[] = [];
    const where = await locations({
      fetch: (input) => {
        requested.push(input instanceof Request ? input.url : input.toString());
        return Promise.resolve(new Response(content));
      },
    });
    expect(await resolveSource(source, where)).toEqual(content);
    expect(new Uint8Array(await readFile(join(where.cacheDir, source.sha256)))).toEqual(content);
    // The second read comes from the cache, not the network.
    expect(await resolveSource(source, where)).toEqual(content);
    expect(requested).toEqual([source.url]);
  });

  it("refuses a download whose SHA-256 differs and caches nothing", async () => {
    const source = await mirroredSource();
    const where = await locations({
      fetch: () => Promise.resolve(new Response("something else")),
    });
    const err = await failure(resolveSource(source, where));
    expect(err.code).toBe("MODEL_INTEGRITY_FAILED");
    expect(err.message).toContain(source.url);
    await expect(readFile(join(where.cacheDir, source.sha256))).rejects.toThrow();
  });

  it("reports an HTTP error from the canonical URL", async () => {
    const where = await locations({
      fetch: () => Promise.resolve(new Response("gone", { status: 404 })),
    });
    const err = await failure(resolveSource(await mirroredSource(), where));
    expect(err.code).toBe("MODEL_NOT_FOUND");
    expect(err.message).toContain("HTTP 404");
  });
});
