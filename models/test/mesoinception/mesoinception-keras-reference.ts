import * as tf from "@tensorflow/tfjs";
import { kerasH5Weights } from "../helpers/keras-h5-weights.ts";

// Written from DariusAf/MesoNet classifiers.py (MesoInception4), not from the converter. Layers
// are named as Keras names them in a fresh session, in the order classifiers.py creates them,
// and the weights are loaded by name (Keras's load_weights(by_name=True)), whereas the
// converter assigns them by Keras's saved topological order, as classifiers.py's plain
// load_weights does: a mix-up of the equally shaped branch convolutions cannot cancel out.
function mesoInception4Layers(): tf.LayersModel {
  const counters = new Map<string, number>();
  const name = (kind: string): string => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `${kind}_${n}`;
  };
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, dilationRate = 1) =>
    tf.layers
      .conv2d({
        filters,
        kernelSize,
        dilationRate,
        padding: "same",
        activation: "relu",
        name: name("conv2d"),
      })
      .apply(x) as tf.SymbolicTensor;
  const inceptionLayer = (x: tf.SymbolicTensor, a: number, b: number, c: number, d: number) => {
    const x1 = conv(x, a, 1);
    const x2 = conv(conv(x, b, 1), b, 3);
    const x3 = conv(conv(x, c, 1), c, 3, 2);
    const x4 = conv(conv(x, d, 1), d, 3, 3);
    return tf.layers.concatenate({ axis: -1 }).apply([x1, x2, x3, x4]) as tf.SymbolicTensor;
  };
  const bnPool = (x: tf.SymbolicTensor, poolSize: number) => {
    const y = tf.layers
      .batchNormalization({ epsilon: 1e-3, name: name("batch_normalization") })
      .apply(x) as tf.SymbolicTensor;
    return tf.layers.maxPooling2d({ poolSize, padding: "same" }).apply(y) as tf.SymbolicTensor;
  };

  const input = tf.input({ shape: [256, 256, 3] });
  let x = bnPool(inceptionLayer(input, 1, 4, 4, 2), 2);
  x = bnPool(inceptionLayer(x, 2, 4, 4, 2), 2);
  x = bnPool(conv(x, 16, 5), 2);
  x = bnPool(conv(x, 16, 5), 4);
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 16, name: name("dense") }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.leakyReLU({ alpha: 0.1 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({ units: 1, activation: "sigmoid", name: name("dense") })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}

/**
 * A TF.js (CPU, pure JS) MesoInception4 with the file's weights loaded by layer name; input
 * NHWC `[N,256,256,3]` in [0, 1].
 *
 * @example
 * ```ts
 * const keras = await createMesoInceptionReference(h5);
 * const probabilities = keras(nhwc, 2);
 * ```
 */
export async function createMesoInceptionReference(
  h5: Uint8Array,
): Promise<(nhwc: Float32Array, batch: number) => Float32Array> {
  await tf.setBackend("cpu");
  const model = mesoInception4Layers();
  const fromFile = new Map(kerasH5Weights(h5).map((layer) => [layer.name, layer.weights]));
  const withWeights = model.layers.filter((layer) => layer.weights.length > 0);
  if (withWeights.length !== fromFile.size) throw new Error("layer count differs from the file");
  for (const layer of withWeights) {
    const weights = fromFile.get(layer.name);
    if (!weights) throw new Error(`the file has no layer ${layer.name}`);
    layer.setWeights(weights);
  }
  tf.dispose([...fromFile.values()].flat());
  return (nhwc, batch) =>
    tf.tidy(() => {
      const out = model.predict(tf.tensor4d(nhwc, [batch, 256, 256, 3])) as tf.Tensor;
      return out.dataSync() as Float32Array;
    });
}
