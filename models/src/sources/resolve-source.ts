import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { sha256Hex } from "@lumen/core";
import { LumenError } from "@lumen/protocol";
import type { SourceFile } from "./source-file.ts";

/** Where {@link resolveSource} looks, in this order after the npm package. */
export interface SourceLocations {
  /** Folder with the mirrored upstream files, or undefined when there is none. */
  readonly mirrorDir: string | undefined;
  /** Folder that keeps files fetched from their canonical URL. */
  readonly cacheDir: string;
  /** Used for the canonical URL; injected so tests and offline builds control the network. */
  readonly fetch: typeof globalThis.fetch;
  /** Resolves npm packages as if from here (the models package). */
  readonly requireFrom: string;
}

// Upstream files are a few MB; anything far larger is not what we pinned.
const MAX_SOURCE_BYTES = 64 * 2 ** 20;

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function npmPath(source: SourceFile, requireFrom: string): string | undefined {
  if (!source.npm) return undefined;
  const { name, version, path } = source.npm;
  let manifestPath: string;
  try {
    manifestPath = createRequire(requireFrom).resolve(`${name}/package.json`);
  } catch {
    return undefined;
  }
  const require = createRequire(requireFrom);
  const installed = (require(manifestPath) as { version?: unknown }).version;
  // Another version may hold other bytes under the same path: treat it as absent.
  return installed === version ? join(dirname(manifestPath), path) : undefined;
}

async function download(source: SourceFile, fetch: typeof globalThis.fetch): Promise<Uint8Array> {
  const response = await fetch(source.url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > MAX_SOURCE_BYTES) throw new Error(`${declared} bytes is too large`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_SOURCE_BYTES)
    throw new Error(`${bytes.byteLength} bytes is too large`);
  return bytes;
}

/**
 * Reads one pinned upstream file: from its npm package, else the mirror folder, else the
 * download cache or its canonical URL. The first copy found must match the pinned SHA-256;
 * a mismatch or no copy at all stops the build with an error naming every place looked at.
 *
 * @example
 * ```ts
 * const bytes = await resolveSource(SOURCE_FILES.minifasnetFp32, locations);
 * ```
 */
export async function resolveSource(
  source: SourceFile,
  locations: SourceLocations,
): Promise<Uint8Array> {
  const looked: string[] = [];
  const check = async (bytes: Uint8Array, where: string): Promise<Uint8Array> => {
    const actual = await sha256Hex(bytes);
    if (actual !== source.sha256) {
      throw new LumenError(
        "MODEL_INTEGRITY_FAILED",
        `Source ${source.id} at ${where} has SHA-256 ${actual}, pinned ${source.sha256}`,
      );
    }
    return bytes;
  };

  const fromNpm = npmPath(source, locations.requireFrom);
  if (source.npm) looked.push(`npm ${source.npm.name}@${source.npm.version}/${source.npm.path}`);
  if (fromNpm) {
    const bytes = await readIfPresent(fromNpm);
    if (bytes) return check(bytes, fromNpm);
  }

  if (source.mirrorPath) {
    if (locations.mirrorDir) {
      const path = join(locations.mirrorDir, source.mirrorPath);
      looked.push(path);
      const bytes = await readIfPresent(path);
      if (bytes) return check(bytes, path);
    } else {
      looked.push(`mirror (none: set LUMEN_MODEL_MIRROR)/${source.mirrorPath}`);
    }
  }

  const cached = join(locations.cacheDir, source.sha256);
  const cachedBytes = await readIfPresent(cached);
  if (cachedBytes) return check(cachedBytes, cached);
  try {
    const bytes = await check(await download(source, locations.fetch), source.url);
    await mkdir(locations.cacheDir, { recursive: true });
    await writeFile(`${cached}.partial`, bytes);
    await rename(`${cached}.partial`, cached);
    return bytes;
  } catch (cause) {
    if (cause instanceof LumenError) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    looked.push(`${source.url} (${reason})`);
    throw new LumenError(
      "MODEL_NOT_FOUND",
      `Source ${source.id} was not found. Looked in: ${looked.join("; ")}`,
      { cause },
    );
  }
}
