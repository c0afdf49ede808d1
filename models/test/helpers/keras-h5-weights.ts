import * as tf from "@tensorflow/tfjs";
import { Dataset, File, Group } from "jsfive";

/** One layer's weights as TF.js tensors, in the order Keras saved them. */
export interface KerasH5Layer {
  readonly name: string;
  readonly weights: tf.Tensor[];
}

const strip = (s: unknown): string => String(s).replace(/[\0\s]+$/, "");

/**
 * The layers with weights of a Keras HDF5 file, in the file's `layer_names` order, each with
 * its `weight_names` in order: what Keras's own `load_weights` reads. Read with jsfive
 * directly, deliberately not through the converters' HDF5 reader, for the TF.js references.
 * Files written by `model.save()` keep the weights under `model_weights`.
 *
 * @example
 * ```ts
 * const layers = kerasH5Weights(h5);
 * model.layers.filter((l) => l.weights.length > 0).forEach((l, i) => l.setWeights(layers[i]!.weights));
 * ```
 */
export function kerasH5Weights(h5: Uint8Array): KerasH5Layer[] {
  const file = new File(
    h5.buffer.slice(h5.byteOffset, h5.byteOffset + h5.byteLength) as ArrayBuffer,
  );
  const root = file.keys.includes("model_weights") ? (file.get("model_weights") as Group) : file;
  const layers: KerasH5Layer[] = [];
  for (const layerName of (root.attrs.layer_names as unknown[]).map(strip)) {
    const layer = root.get(layerName) as Group;
    const names = (layer.attrs.weight_names as unknown[]).map(strip);
    if (names.length === 0) continue;
    layers.push({
      name: layerName,
      weights: names.map((name) => {
        const dataset = layer.get(name) as Dataset;
        return tf.tensor(dataset.value as number[], dataset.shape, "float32");
      }),
    });
  }
  return layers;
}
