import * as tf from "@tensorflow/tfjs";
import { kerasH5Weights } from "../helpers/keras-h5-weights.ts";

// Written from DariusAf/MesoNet classifiers.py, not from the converter, so a layout mistake in
// the converter (kernel order, NHWC flatten order, padding) cannot cancel out here: TF.js runs
// Keras layers in Keras's own NHWC layout with the weights exactly as the file stores them.
function meso4Layers(): tf.LayersModel {
  const input = tf.input({ shape: [256, 256, 3] });
  let x = input;
  const blocks = [
    [8, 3, 2],
    [8, 5, 2],
    [16, 5, 2],
    [16, 5, 4],
  ] as const;
  for (const [filters, kernelSize, poolSize] of blocks) {
    x = tf.layers
      .conv2d({ filters, kernelSize, padding: "same", activation: "relu" })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize, padding: "same" }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 16 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.leakyReLU({ alpha: 0.1 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 1, activation: "sigmoid" }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}

/** A TF.js (CPU, pure JS) Meso4 with the file's weights; input NHWC `[N,256,256,3]` in [0, 1]. */
export async function createKerasReference(
  h5: Uint8Array,
): Promise<(nhwc: Float32Array, batch: number) => Float32Array> {
  await tf.setBackend("cpu");
  const model = meso4Layers();
  const withWeights = model.layers.filter((layer) => layer.weights.length > 0);
  // Keras's own load_weights: the layers that have weights, in file order.
  const weights = kerasH5Weights(h5).map((layer) => layer.weights);
  if (withWeights.length !== weights.length) throw new Error("layer count differs from the file");
  withWeights.forEach((layer, i) => {
    layer.setWeights(weights[i] ?? []);
  });
  tf.dispose(weights.flat());
  return (nhwc, batch) =>
    tf.tidy(() => {
      const out = model.predict(tf.tensor4d(nhwc, [batch, 256, 256, 3])) as tf.Tensor;
      return out.dataSync() as Float32Array;
    });
}
