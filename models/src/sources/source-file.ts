/** One upstream file a model is built from, pinned by content. */
export interface SourceFile {
  /** Stable id, also the file's name in the download cache. */
  readonly id: string;
  readonly sha256: string;
  /** SPDX licence id. */
  readonly licence: string;
  /** Where it comes from: repository@commit and path, or npm package@version and path. */
  readonly origin: string;
  /** Canonical address, for users with internet and no npm package or mirror. */
  readonly url: string;
  /** The npm package that ships it, tried first. */
  readonly npm?: { readonly name: string; readonly version: string; readonly path: string };
  /** Its path inside a mirror folder (`LUMEN_MODEL_MIRROR`), tried second. */
  readonly mirrorPath?: string;
}
