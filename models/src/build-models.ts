import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getModelSpec, sha256Hex, type ModelSpec } from "@lumen/core";
import { LumenError } from "@lumen/protocol";
import type { ModelRecipe } from "./model-recipe.ts";
import { resolveSource, type SourceLocations } from "./sources/resolve-source.ts";

/** Options of {@link buildModels}. */
export interface BuildModelsOptions extends SourceLocations {
  /** Folder the models and `manifest.json` are written to. */
  readonly outDir: string;
  /** When false, an output that differs from its pin in `@lumen/core` fails the build. */
  readonly acceptNewPins: boolean;
}

/** One model as built, with its actual pin. */
export interface BuiltModel {
  readonly id: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** The manifest written beside the models. */
export interface ModelManifest {
  readonly schemaVersion: 1;
  readonly models: readonly (ModelSpec & {
    readonly method: string;
    readonly sources: readonly {
      readonly id: string;
      readonly sha256: string;
      readonly licence: string;
      readonly origin: string;
      readonly url: string;
    }[];
  })[];
}

async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(`${path}.partial`, bytes);
  await rename(`${path}.partial`, path);
}

/**
 * Builds every model from its pinned sources into `outDir` with a `manifest.json`. The build is
 * reproducible: the same sources give byte-identical files, which must match the pins compiled
 * into `@lumen/core` unless `acceptNewPins` is set (then the caller records the new pins).
 *
 * @example
 * ```ts
 * await buildModels(MODEL_RECIPES, { outDir: "models/dist", acceptNewPins: false, ...locations });
 * ```
 */
export async function buildModels(
  recipes: readonly ModelRecipe[],
  options: BuildModelsOptions,
): Promise<BuiltModel[]> {
  await mkdir(options.outDir, { recursive: true });
  const built: BuiltModel[] = [];
  const entries: ModelManifest["models"][number][] = [];
  for (const recipe of recipes) {
    const sources: Uint8Array[] = [];
    for (const source of recipe.sources) sources.push(await resolveSource(source, options));
    const output = recipe.build(sources);
    const pin = { id: recipe.id, sha256: await sha256Hex(output), bytes: output.byteLength };
    const spec = getModelSpec(recipe.id);
    if (!options.acceptNewPins && (pin.sha256 !== spec.sha256 || pin.bytes !== spec.bytes)) {
      throw new LumenError(
        "MODEL_INTEGRITY_FAILED",
        `Model ${recipe.id} built to ${pin.bytes} bytes with SHA-256 ${pin.sha256}, but ` +
          `@lumen/core pins ${spec.bytes} bytes with ${spec.sha256}. If the change is intended, ` +
          `run \`pnpm models --update-pins\` and bump the model's version.`,
      );
    }
    await writeAtomically(join(options.outDir, spec.file), output);
    built.push(pin);
    entries.push({
      ...spec,
      ...pin,
      method: recipe.method,
      sources: recipe.sources.map(({ id, sha256, licence, origin, url }) => ({
        id,
        sha256,
        licence,
        origin,
        url,
      })),
    });
  }
  const manifest: ModelManifest = { schemaVersion: 1, models: entries };
  await writeAtomically(
    join(options.outDir, "manifest.json"),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return built;
}
