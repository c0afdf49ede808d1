import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { analysisModelsHash, ANALYSIS_MODEL_IDS, getModelSpec } from "@lumen/core";

/** Which models and which code produced a report. */
export interface Provenance {
  readonly models: {
    /** SHA-256 of `models/dist/manifest.json` as `pnpm models` wrote it; `null` if unreadable. */
    readonly manifestSha256: string | null;
    /** The `models` claim the SDK signs: SHA-256 of the pinned `{id, sha256}` list. */
    readonly modelsHash: string;
    readonly catalog: readonly { id: string; version: string; sha256: string }[];
  };
  readonly code: {
    /** `version` of the root package.json, `null` when it has none. */
    readonly version: string | null;
    /** `git rev-parse HEAD`, `null` outside a git checkout or without git. */
    readonly commit: string | null;
    /** Uncommitted changes in the checkout (`git status --porcelain`), `null` without git. */
    readonly dirty: boolean | null;
  };
}

const run = promisify(execFile);

async function git(repoRoot: string, args: readonly string[]): Promise<string | null> {
  try {
    const { stdout } = await run("git", args, { cwd: repoRoot, timeout: 10_000 });
    return stdout;
  } catch {
    return null;
  }
}

/**
 * Collects the model and code versions a report must name to be reproducible.
 *
 * @example
 * ```ts
 * const { models, code } = await collectProvenance(repoRoot, modelDir);
 * ```
 */
export async function collectProvenance(repoRoot: string, modelDir: string): Promise<Provenance> {
  const manifest = await readFile(join(modelDir, "manifest.json")).catch(() => null);
  const specs = ANALYSIS_MODEL_IDS.map((id) => getModelSpec(id));
  const modelsHash = await analysisModelsHash();
  const rootPackage: { version?: unknown } = await readFile(join(repoRoot, "package.json"), "utf8")
    .then((text) => JSON.parse(text) as { version?: unknown })
    .catch(() => ({}));
  const commit = (await git(repoRoot, ["rev-parse", "HEAD"]))?.trim() ?? null;
  const status = await git(repoRoot, ["status", "--porcelain"]);
  return {
    models: {
      manifestSha256: manifest ? createHash("sha256").update(manifest).digest("hex") : null,
      modelsHash,
      catalog: specs.map(({ id, version, sha256 }) => ({ id, version, sha256 })),
    },
    code: {
      version: typeof rootPackage.version === "string" ? rootPackage.version : null,
      commit: commit || null,
      dirty: status === null ? null : status.trim().length > 0,
    },
  };
}
