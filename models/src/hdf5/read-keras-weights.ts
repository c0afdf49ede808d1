import { Dataset, File, Group } from "jsfive";
import { LumenError } from "@lumen/protocol";

/** One weight array of a Keras layer, in Keras's own layout (e.g. conv kernels HWIO). */
export interface KerasWeight {
  /** The name Keras saved, e.g. `conv2d_5/kernel:0`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** One layer of a Keras weights file; layers without weights (pooling, dropout) have none. */
export interface KerasLayerWeights {
  readonly name: string;
  /** In the order Keras saved them, which is the order `layer.set_weights` expects. */
  readonly weights: readonly KerasWeight[];
}

/** What a Keras HDF5 file holds, read without Keras. */
export interface KerasWeightsFile {
  /** Every layer of the model in `layer_names` order, including those without weights. */
  readonly layers: readonly KerasLayerWeights[];
  readonly kerasVersion?: string;
  readonly backend?: string;
  /**
   * The parsed `model_config` JSON, present when the file was written by `model.save()`;
   * absent for `model.save_weights()` files, which hold no architecture at all.
   */
  readonly modelConfig?: unknown;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

// h5py writes fixed-length numpy strings, padded with NULs that jsfive keeps.
function cleanString(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Error(`${what} is not a string`);
  return value.replace(/[\0\s]+$/, "");
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list of strings`);
  return value.map((item, i) => cleanString(item, `${what}[${i}]`));
}

function optionalString(attrs: Record<string, unknown>, key: string): string | undefined {
  return key in attrs ? cleanString(attrs[key], `attribute ${key}`) : undefined;
}

function group(parent: Group, path: string): Group {
  const child = parent.get(path);
  if (!(child instanceof Group)) throw new Error(`${path} is not a group`);
  return child;
}

function readWeight(layerGroup: Group, name: string): KerasWeight {
  const dataset = layerGroup.get(name);
  if (!(dataset instanceof Dataset)) throw new Error(`weight ${name} is not a dataset`);
  const { dtype, shape, value } = dataset;
  // Keras 2 saves float32 weights; anything else means a file this reader was not built for.
  if (dtype !== "<f4" && dtype !== ">f4") {
    throw new Error(`weight ${name} has dtype ${JSON.stringify(dtype)}, expected float32`);
  }
  if (!Array.isArray(value)) throw new Error(`weight ${name} has no data`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (value.length !== size) {
    throw new Error(`weight ${name} holds ${value.length} values for shape [${shape.join(",")}]`);
  }
  return { name, shape: [...shape], values: Float32Array.from(value as number[]) };
}

function readLayers(root: Group): KerasLayerWeights[] {
  return stringList(root.attrs.layer_names, "attribute layer_names").map((layerName) => {
    const layerGroup = group(root, layerName);
    const names = stringList(layerGroup.attrs.weight_names, `${layerName} weight_names`);
    return { name: layerName, weights: names.map((name) => readWeight(layerGroup, name)) };
  });
}

function parseFile(h5: Uint8Array): KerasWeightsFile {
  const buffer = h5.buffer.slice(h5.byteOffset, h5.byteOffset + h5.byteLength) as ArrayBuffer;
  const file = new File(buffer);
  // `model.save()` nests the weights under model_weights; `save_weights()` puts them at the root.
  const root = file.keys.includes("model_weights") ? group(file, "model_weights") : file;
  const kerasVersion = optionalString(root.attrs, "keras_version");
  const backend = optionalString(root.attrs, "backend");
  const config = optionalString(file.attrs, "model_config");
  return {
    layers: readLayers(root),
    ...(kerasVersion === undefined ? {} : { kerasVersion }),
    ...(backend === undefined ? {} : { backend }),
    ...(config === undefined ? {} : { modelConfig: JSON.parse(config) as unknown }),
  };
}

/**
 * Reads the layers and weights of a Keras 2 HDF5 file (`model.save()` or `model.save_weights()`)
 * in pure JS, so the model build needs neither Python nor TensorFlow.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the bytes are not HDF5, are truncated, or
 *   do not have the layout Keras writes.
 * @example
 * ```ts
 * const { layers } = readKerasWeights(await readFile("Meso4_DF.h5"));
 * layers.find((l) => l.name === "conv2d_5")?.weights[0]?.shape; // [3, 3, 3, 8]
 * ```
 */
export function readKerasWeights(h5: Uint8Array): KerasWeightsFile {
  if (!HDF5_SIGNATURE.every((byte, i) => h5[i] === byte)) {
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      "Not a Keras HDF5 file: the HDF5 signature is missing at byte 0",
    );
  }
  try {
    return parseFile(h5);
  } catch (cause) {
    // jsfive throws bare strings and RangeErrors from deep inside; name the file kind at least.
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      `Not a readable Keras HDF5 file (${h5.byteLength} bytes; truncated or corrupt?): ${detail}`,
      { cause },
    );
  }
}
