import type { KerasLayerWeights, KerasWeightsFile } from "../hdf5/read-keras-weights.ts";
import { MESO4_ARCHITECTURE } from "./meso4-architecture.ts";
import {
  layerKind,
  MesoLayerReader,
  type MesoBatchNorm,
  type MesoConv,
  type MesoDense,
} from "./meso-layer-weights.ts";

/** A Conv2D layer's weights in Keras layout: kernel `[kh, kw, in, out]`, bias `[out]`. */
export type Meso4Conv = MesoConv;

/** A BatchNormalization layer's inference parameters, one value per channel. */
export type Meso4BatchNorm = MesoBatchNorm;

/** A Dense layer's weights in Keras layout: kernel `[in, out]`, bias `[out]`. */
export type Meso4Dense = MesoDense;

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

const take = new MesoLayerReader("Meso4");

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
  const layers = file.layers.filter((layer) => layerKind(layer) !== "leaky_re_lu");
  take.checkKinds(layers, EXPECTED_KINDS);
  const at = (i: number): KerasLayerWeights => layers[i] as KerasLayerWeights;

  let channels: number = MESO4_ARCHITECTURE.inputChannels;
  let size: number = MESO4_ARCHITECTURE.inputSize;
  const blocks = MESO4_ARCHITECTURE.blocks.map(({ filters, kernel, pool }, b): Meso4Block => {
    const conv = take.conv(at(1 + 3 * b), [kernel, kernel, channels, filters]);
    const batchNorm = take.batchNorm(at(2 + 3 * b), filters);
    channels = filters;
    size = Math.ceil(size / pool);
    return { conv, batchNorm, pool };
  });

  const flattened = size * size * channels;
  const { hiddenUnits } = MESO4_ARCHITECTURE;
  return {
    blocks,
    hidden: take.dense(at(EXPECTED_KINDS.length - 3), flattened, hiddenUnits),
    classifier: take.dense(at(EXPECTED_KINDS.length - 1), hiddenUnits, 1),
  };
}
