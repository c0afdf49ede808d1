import { LumenError } from "@lumen/protocol";

/** One weight of a TF.js model, dequantized to float32, in TF.js's own layout (conv HWIO). */
export interface TfjsWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** A TF.js weights manifest (`*-weights_manifest.json`) and the bytes of the files it names. */
export interface TfjsWeightsFiles {
  /** The manifest's JSON, as bytes. */
  readonly manifest: Uint8Array;
  /** Every weights file the manifest's `paths` name, keyed by that path. */
  readonly shards: Readonly<Record<string, Uint8Array>>;
}

// Stored bytes per value: plain float32, or the integer codes of TF.js's affine quantization.
const BYTES_PER_VALUE = { float32: 4, uint8: 1, uint16: 2 } as const;

type Quantization =
  { readonly dtype: "uint8" | "uint16"; readonly scale: number; readonly min: number } | undefined;

interface WeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly quantization: Quantization;
}

interface WeightGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightEntry[];
}

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Not a TF.js weights manifest: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function quantizationOf(name: string, value: unknown): Quantization {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw invalid(`${name} has a malformed quantization`);
  const { dtype, scale, min } = value;
  // float16 and the int32 weight dtype also exist in TF.js; nothing Lumen converts uses them.
  if (dtype !== "uint8" && dtype !== "uint16") {
    throw invalid(`${name} is quantized as ${JSON.stringify(dtype)}, not uint8 or uint16`);
  }
  if (typeof scale !== "number" || typeof min !== "number") {
    throw invalid(`${name} is quantized without a numeric scale and min`);
  }
  return { dtype, scale, min };
}

function isDimension(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function weightEntry(value: unknown, where: string): WeightEntry {
  if (!isRecord(value) || typeof value.name !== "string") throw invalid(`${where} has no name`);
  const { name, shape, dtype } = value;
  const dims: unknown[] = Array.isArray(shape) ? shape : [-1];
  if (!dims.every(isDimension)) throw invalid(`${name} has a malformed shape`);
  if (dtype !== "float32") throw invalid(`${name} has dtype ${JSON.stringify(dtype)}`);
  return { name, shape: dims, quantization: quantizationOf(name, value.quantization) };
}

function parseManifest(bytes: Uint8Array): WeightGroup[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new LumenError("MODEL_SOURCE_INVALID", "The TF.js weights manifest is not JSON", {
      cause,
    });
  }
  if (!Array.isArray(json)) throw invalid("the top level is not a list of weight groups");
  const groups: unknown[] = json;
  return groups.map((group, g) => {
    if (!isRecord(group)) throw invalid(`group ${g} is not an object`);
    const paths: unknown[] = Array.isArray(group.paths) ? group.paths : [];
    const weights: unknown[] | undefined = Array.isArray(group.weights) ? group.weights : undefined;
    if (paths.length === 0 || !paths.every((p): p is string => typeof p === "string")) {
      throw invalid(`group ${g} has no list of paths`);
    }
    if (!weights) throw invalid(`group ${g} has no list of weights`);
    return {
      paths,
      weights: weights.map((w, i) => weightEntry(w, `group ${g} weight ${i}`)),
    };
  });
}

function concatShards(group: WeightGroup, shards: TfjsWeightsFiles["shards"]): Uint8Array {
  const parts = group.paths.map((path) => {
    const shard = Object.hasOwn(shards, path) ? shards[path] : undefined;
    if (!shard) throw invalid(`the weights file ${path} was not given`);
    return shard;
  });
  const out = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.byteLength), 0);
  return out;
}

// The same arithmetic as TF.js's `decodeWeights`: `code * scale + min` in double precision,
// rounded once to float32, so the dequantized weights are bit-identical to what TF.js runs.
function decodeValues(
  view: DataView,
  offset: number,
  count: number,
  quantization: Quantization,
): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (!quantization) values[i] = view.getFloat32(offset + 4 * i, true);
    else if (quantization.dtype === "uint8")
      values[i] = view.getUint8(offset + i) * quantization.scale + quantization.min;
    else values[i] = view.getUint16(offset + 2 * i, true) * quantization.scale + quantization.min;
  }
  return values;
}

/**
 * Reads every weight of a TF.js model from its weights manifest and weights files, in pure JS
 * and without TF.js: groups are the concatenation of their files, weights follow each other in
 * manifest order, float32 values are little-endian, and uint8/uint16-quantized weights are
 * dequantized exactly as TF.js does. A group whose files are shorter or longer than its
 * weights, a missing file, a repeated name or an unsupported dtype is refused.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` naming the group, weight or file at fault.
 * @example
 * ```ts
 * const weights = readTfjsWeights({
 *   manifest: await readFile("face_recognition_model-weights_manifest.json"),
 *   shards: { "face_recognition_model.bin": await readFile("face_recognition_model.bin") },
 * });
 * weights.get("fc")?.shape; // [256, 128]
 * ```
 */
export function readTfjsWeights(files: TfjsWeightsFiles): ReadonlyMap<string, TfjsWeight> {
  const out = new Map<string, TfjsWeight>();
  parseManifest(files.manifest).forEach((group, g) => {
    const bytes = concatShards(group, files.shards);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = 0;
    for (const { name, shape, quantization } of group.weights) {
      const count = shape.reduce((a, b) => a * b, 1);
      const length = count * BYTES_PER_VALUE[quantization?.dtype ?? "float32"];
      if (offset + length > bytes.byteLength) {
        throw invalid(`group ${g} ends inside ${name} (${bytes.byteLength} bytes)`);
      }
      if (out.has(name)) throw invalid(`${name} is listed twice`);
      out.set(name, { name, shape, values: decodeValues(view, offset, count, quantization) });
      offset += length;
    }
    if (offset !== bytes.byteLength) {
      throw invalid(`group ${g} has ${bytes.byteLength - offset} bytes after its last weight`);
    }
  });
  return out;
}
