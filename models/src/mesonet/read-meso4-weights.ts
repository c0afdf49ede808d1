import { LumenError } from "@lumen/protocol";
import type { KerasLayerWeights, KerasWeightsFile } from "../hdf5/read-keras-weights.ts";
import { MESO4_ARCHITECTURE } from "./meso4-architecture.ts";

/** A Conv2D layer's weights in Keras layout: kernel `[kh, kw, in, out]`, bias `[out]`. */
export interface Meso4Conv {
  readonly kernel: Float32Array;
  readonly kernelShape: readonly [number, number, number, number];
  readonly bias: Float32Array;
}

/** A BatchNormalization layer's inference parameters, one value per channel. */
export interface Meso4BatchNorm {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly movingMean: Float32Array;
  readonly movingVariance: Float32Array;
}

/** A Dense layer's weights in Keras layout: kernel `[in, out]`, bias `[out]`. */
export interface Meso4Dense {
  readonly kernel: Float32Array;
  readonly inputs: number;
  readonly units: number;
  readonly bias: Float32Array;
}

/** One convolution block; `pool` is its max-pooling size (and stride), from the architecture. */
export interface Meso4Block {
  readonly conv: Meso4Conv;
  readonly batchNorm: Meso4BatchNorm;
  readonly pool: number;
}

/** Every weight of Meso4, checked against {@link MESO4_ARCHITECTURE}. */
export interface Meso4Weights {
  readonly blocks: readonly Meso4Block[];
  readonly hidden: Meso4Dense;
  readonly classifier: Meso4Dense;
}

const EXPECTED_KINDS: readonly string[] = [
  "input",
  ...MESO4_ARCHITECTURE.blocks.flatMap(() => ["conv2d", "batch_normalization", "max_pooling2d"]),
  "flatten",
  "dropout",
  "dense",
  "dropout",
  "dense",
];

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Not Meso4 weights: ${message}`);
}

// Keras names layers `<kind>_<counter>`; the counter depends on what else the session built.
function kindOf(layer: KerasLayerWeights): string {
  return layer.name.replace(/_\d+$/, "");
}

function weight(layer: KerasLayerWeights, suffix: string, shape: readonly number[]): Float32Array {
  const found = layer.weights.find((w) => w.name.endsWith(`/${suffix}`) || w.name === suffix);
  if (!found) throw invalid(`layer ${layer.name} has no ${suffix}`);
  if (found.shape.join(",") !== shape.join(",")) {
    throw invalid(
      `${found.name} has shape [${found.shape.join(",")}], expected [${shape.join(",")}]`,
    );
  }
  return found.values;
}

function dense(layer: KerasLayerWeights, inputs: number, units: number): Meso4Dense {
  return {
    kernel: weight(layer, "kernel:0", [inputs, units]),
    inputs,
    units,
    bias: weight(layer, "bias:0", [units]),
  };
}

/**
 * Picks Meso4's weights out of a Keras weights file, checking the layer sequence and every
 * shape against `classifiers.py`'s Meso4, so a MesoInception4 or a truncated file is refused
 * instead of converted into a wrong model.
 *
 * The published `Meso4_*.h5` files list no LeakyReLU layer (Keras would list it, weights or
 * not), yet `classifiers.py` loads them into a model with one; a `leaky_re_lu` entry after the
 * hidden Dense is therefore accepted and skipped either way.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` naming the first layer or shape that differs.
 * @example
 * ```ts
 * const weights = readMeso4Weights(readKerasWeights(h5));
 * weights.blocks[0]?.conv.kernelShape; // [3, 3, 3, 8]
 * ```
 */
export function readMeso4Weights(file: KerasWeightsFile): Meso4Weights {
  const layers = file.layers.filter((layer) => kindOf(layer) !== "leaky_re_lu");
  const kinds = layers.map(kindOf);
  EXPECTED_KINDS.forEach((expected, i) => {
    if (kinds[i] !== expected) {
      throw invalid(`layer ${i} is ${layers[i]?.name ?? "missing"}, expected ${expected}_<n>`);
    }
  });
  if (layers.length !== EXPECTED_KINDS.length) {
    throw invalid(`${layers.length} layers, expected ${EXPECTED_KINDS.length}`);
  }
  const at = (i: number): KerasLayerWeights => layers[i] as KerasLayerWeights;

  let channels: number = MESO4_ARCHITECTURE.inputChannels;
  let size: number = MESO4_ARCHITECTURE.inputSize;
  const blocks = MESO4_ARCHITECTURE.blocks.map(({ filters, kernel, pool }, b): Meso4Block => {
    const convLayer = at(1 + 3 * b);
    const bnLayer = at(2 + 3 * b);
    const kernelShape = [kernel, kernel, channels, filters] as const;
    const conv = {
      kernel: weight(convLayer, "kernel:0", kernelShape),
      kernelShape,
      bias: weight(convLayer, "bias:0", [filters]),
    };
    const batchNorm = {
      gamma: weight(bnLayer, "gamma:0", [filters]),
      beta: weight(bnLayer, "beta:0", [filters]),
      movingMean: weight(bnLayer, "moving_mean:0", [filters]),
      movingVariance: weight(bnLayer, "moving_variance:0", [filters]),
    };
    channels = filters;
    size = Math.ceil(size / pool);
    return { conv, batchNorm, pool };
  });

  const flattened = size * size * channels;
  const { hiddenUnits } = MESO4_ARCHITECTURE;
  return {
    blocks,
    hidden: dense(at(EXPECTED_KINDS.length - 3), flattened, hiddenUnits),
    classifier: dense(at(EXPECTED_KINDS.length - 1), hiddenUnits, 1),
  };
}
