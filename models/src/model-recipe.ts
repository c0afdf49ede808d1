import type { SourceFile } from "./sources/source-file.ts";

/** How one model of the catalog is made from its pinned upstream files. */
export interface ModelRecipe {
  /** The id of the model in `@lumen/core`'s catalog. */
  readonly id: string;
  /** What was done to the sources, for the manifest. */
  readonly method: string;
  readonly sources: readonly SourceFile[];
  /** Makes the model from the sources' bytes, given in the order of `sources`. Pure. */
  readonly build: (sources: readonly Uint8Array[]) => Uint8Array;
}
