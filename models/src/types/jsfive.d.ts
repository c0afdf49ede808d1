/**
 * The part of `jsfive` (a pure-JS HDF5 reader, untyped upstream) that Lumen uses. Values it
 * returns are typed `unknown` where the file decides their shape, so callers must check them.
 */
declare module "jsfive" {
  /** A group: named links to groups and datasets, plus attributes. */
  export class Group {
    /** Full path, `/` for the root. */
    readonly name: string;
    /** Names of the direct children, in the order the file stores them. */
    readonly keys: string[];
    /** Attributes decoded by jsfive: strings, numbers, arrays of them. */
    readonly attrs: Record<string, unknown>;
    /** A child by relative or absolute path; throws a string when it does not exist. */
    get(path: string): Group | Dataset | null;
  }

  /** An opened HDF5 file; also its root group. */
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }

  /** A dataset: an n-dimensional array of one dtype. */
  export class Dataset {
    readonly name: string;
    readonly attrs: Record<string, unknown>;
    readonly shape: number[];
    /** A numpy-like code such as `<f4`, or a structure for compound and variable-length types. */
    readonly dtype: unknown;
    /** The elements flattened in row-major order. */
    readonly value: unknown;
  }
}
