import * as tf from "@tensorflow/tfjs";
import { File } from "jsfive";
import { kerasH5Weights } from "../helpers/keras-h5-weights.ts";

/**
 * HyperFAS as TF.js Layers builds it from the file's own `model_config` (`tf.models.modelFromJSON`,
 * TF.js's port of Keras's deserialisation), the weights assigned as Keras's `load_model` does:
 * the layers with weights in order, each given its saved weights in order. Neither the config
 * nor the weights pass through the converter's reader. Runs on TF.js's CPU backend, NHWC
 * `[N,224,224,3]`, in the values the model takes (BGR, (value - 127.5) / 127.5).
 *
 * @example
 * ```ts
 * const keras = await createHyperfasReference(h5);
 * const scores = keras(nhwc, 2);
 * ```
 */
export async function createHyperfasReference(
  h5: Uint8Array,
): Promise<(nhwc: Float32Array, batch: number) => Float32Array> {
  await tf.setBackend("cpu");
  const file = new File(
    h5.buffer.slice(h5.byteOffset, h5.byteOffset + h5.byteLength) as ArrayBuffer,
  );
  const modelConfig = JSON.parse(
    String(file.attrs.model_config),
  ) as tf.io.ModelJSON["modelTopology"];
  const model = await tf.models.modelFromJSON({ modelTopology: modelConfig });
  const withWeights = model.layers.filter((layer) => layer.weights.length > 0);
  const saved = kerasH5Weights(h5);
  if (withWeights.length !== saved.length) throw new Error("layer count differs from the file");
  withWeights.forEach((layer, i) => {
    const { name, weights } = saved[i] ?? { name: "", weights: [] };
    if (name !== layer.name) throw new Error(`layer ${layer.name} meets saved ${name}`);
    layer.setWeights(weights);
  });
  tf.dispose(saved.flatMap((layer) => layer.weights));
  return (nhwc, batch) =>
    tf.tidy(() => {
      const out = model.predict(tf.tensor4d(nhwc, [batch, 224, 224, 3])) as tf.Tensor;
      return out.dataSync() as Float32Array;
    });
}
