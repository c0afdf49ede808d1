import type { KerasLayerWeights, KerasWeightsFile } from "../hdf5/read-keras-weights.ts";
import { MESOINCEPTION4_ARCHITECTURE } from "./mesoinception4-architecture.ts";
import {
  MesoLayerReader,
  type MesoBatchNorm,
  type MesoConv,
  type MesoDense,
} from "./meso-layer-weights.ts";
import type { Meso4Block } from "./read-meso4-weights.ts";

/**
 * The seven convolutions of one `InceptionLayer`: `a` is branch 1's 1x1 conv; `bIn`, `cIn`,
 * `dIn` are the 1x1 convs that open branches 2 to 4, and `b`, `c`, `d` their 3x3 convs.
 */
export interface InceptionConvs {
  readonly a: MesoConv;
  readonly bIn: MesoConv;
  readonly b: MesoConv;
  readonly cIn: MesoConv;
  readonly c: MesoConv;
  readonly dIn: MesoConv;
  readonly d: MesoConv;
}

/** One inception block: its convolutions, then BatchNormalization and max pooling. */
export interface InceptionBlock {
  readonly convs: InceptionConvs;
  readonly batchNorm: MesoBatchNorm;
  readonly pool: number;
}

/** Every weight of MesoInception4, checked against {@link MESOINCEPTION4_ARCHITECTURE}. */
export interface MesoInception4Weights {
  readonly inception: readonly InceptionBlock[];
  readonly blocks: readonly Meso4Block[];
  readonly hidden: MesoDense;
  readonly classifier: MesoDense;
}

type ConvRole = keyof InceptionConvs;

// Keras saves a functional model's layers in its topological order, deepest first: the three
// 1x1 convs that open branches 2 to 4, then the four convs that feed the concatenation. That is
// the order `model.load_weights` (what classifiers.py calls) assigns weights in.
const SAVED_ORDER: readonly ConvRole[] = ["bIn", "cIn", "dIn", "a", "b", "c", "d"];
// The order InceptionLayer creates them, hence the order of Keras's name counters.
const CREATED_ORDER: readonly ConvRole[] = ["a", "bIn", "b", "cIn", "c", "dIn", "d"];

const INCEPTION_KINDS = [
  ...SAVED_ORDER.map(() => "conv2d"),
  "concatenate",
  "batch_normalization",
  "max_pooling2d",
];
const BLOCK_KINDS = ["conv2d", "batch_normalization", "max_pooling2d"];
const EXPECTED_KINDS: readonly string[] = [
  "input",
  ...MESOINCEPTION4_ARCHITECTURE.inception.flatMap(() => INCEPTION_KINDS),
  ...MESOINCEPTION4_ARCHITECTURE.blocks.flatMap(() => BLOCK_KINDS),
  "flatten",
  "dropout",
  "dense",
  "leaky_re_lu",
  "dropout",
  "dense",
];

const take = new MesoLayerReader("MesoInception4");

function counter(layer: KerasLayerWeights): number {
  return Number(/_(\d+)$/.exec(layer.name)?.[1]);
}

function inceptionConvs(
  layers: readonly KerasLayerWeights[],
  inputs: number,
  { a, b, c, d }: (typeof MESOINCEPTION4_ARCHITECTURE.inception)[number],
): InceptionConvs {
  const byRole = new Map(SAVED_ORDER.map((role, i) => [role, layers[i] as KerasLayerWeights]));
  const layer = (role: ConvRole): KerasLayerWeights => byRole.get(role) as KerasLayerWeights;
  // Two pairs of convs have equal shapes (bIn/cIn, b/c), so shapes alone cannot catch a swap;
  // the name counters must also run in the order InceptionLayer creates the layers.
  const counters = CREATED_ORDER.map((role) => counter(layer(role)));
  if (!counters.every((n, i) => i === 0 || n > (counters[i - 1] ?? Infinity))) {
    throw take.invalid(
      `convolutions ${SAVED_ORDER.map((role) => layer(role).name).join(", ")} are not in the ` +
        "order Keras saves an InceptionLayer",
    );
  }
  const conv = (role: ConvRole, kernel: number, cin: number, cout: number): MesoConv =>
    take.conv(layer(role), [kernel, kernel, cin, cout]);
  return {
    a: conv("a", 1, inputs, a),
    bIn: conv("bIn", 1, inputs, b),
    b: conv("b", 3, b, b),
    cIn: conv("cIn", 1, inputs, c),
    c: conv("c", 3, c, c),
    dIn: conv("dIn", 1, inputs, d),
    d: conv("d", 3, d, d),
  };
}

/**
 * Picks MesoInception4's weights out of a Keras weights file (DariusAf/MesoNet
 * `weights/MesoInception_DF.h5`, `MesoInception_F2F.h5`), checking the layer sequence, the
 * order of each inception block's convolutions and every shape against `classifiers.py`, so a
 * Meso4 or a truncated file is refused instead of converted into a wrong model.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` naming the first layer or shape that differs.
 * @example
 * ```ts
 * const weights = readMesoInception4Weights(readKerasWeights(h5));
 * weights.inception[0]?.convs.c.kernelShape; // [3, 3, 4, 4]
 * ```
 */
export function readMesoInception4Weights(file: KerasWeightsFile): MesoInception4Weights {
  const { layers } = file;
  take.checkKinds(layers, EXPECTED_KINDS);
  let at = 1;
  const next = (count: number): KerasLayerWeights[] => layers.slice(at, (at += count));

  let channels: number = MESOINCEPTION4_ARCHITECTURE.inputChannels;
  let size: number = MESOINCEPTION4_ARCHITECTURE.inputSize;
  const inception = MESOINCEPTION4_ARCHITECTURE.inception.map((spec): InceptionBlock => {
    const group = next(INCEPTION_KINDS.length);
    const convs = inceptionConvs(group, channels, spec);
    channels = spec.a + spec.b + spec.c + spec.d;
    const bnLayer = group[INCEPTION_KINDS.indexOf("batch_normalization")] as KerasLayerWeights;
    const batchNorm = take.batchNorm(bnLayer, channels);
    size = Math.ceil(size / spec.pool);
    return { convs, batchNorm, pool: spec.pool };
  });
  const blocks = MESOINCEPTION4_ARCHITECTURE.blocks.map(({ filters, kernel, pool }) => {
    const [convLayer, bnLayer] = next(BLOCK_KINDS.length) as [KerasLayerWeights, KerasLayerWeights];
    const conv = take.conv(convLayer, [kernel, kernel, channels, filters]);
    const batchNorm = take.batchNorm(bnLayer, filters);
    channels = filters;
    size = Math.ceil(size / pool);
    return { conv, batchNorm, pool };
  });

  const [, , hidden, , , classifier] = next(6);
  const { hiddenUnits } = MESOINCEPTION4_ARCHITECTURE;
  return {
    inception,
    blocks,
    hidden: take.dense(hidden as KerasLayerWeights, size * size * channels, hiddenUnits),
    classifier: take.dense(classifier as KerasLayerWeights, hiddenUnits, 1),
  };
}
