import { LumenError } from "@lumen/protocol";
import type { KerasLayerWeights } from "../hdf5/read-keras-weights.ts";

/** A Conv2D layer's weights in Keras layout: kernel `[kh, kw, in, out]`, bias `[out]`. */
export interface MesoConv {
  readonly kernel: Float32Array;
  readonly kernelShape: readonly [number, number, number, number];
  readonly bias: Float32Array;
}

/** A BatchNormalization layer's inference parameters, one value per channel. */
export interface MesoBatchNorm {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly movingMean: Float32Array;
  readonly movingVariance: Float32Array;
}

/** A Dense layer's weights in Keras layout: kernel `[in, out]`, bias `[out]`. */
export interface MesoDense {
  readonly kernel: Float32Array;
  readonly inputs: number;
  readonly units: number;
  readonly bias: Float32Array;
}

/**
 * Takes the layers of the MesoNet family (Meso4, MesoInception4) out of a Keras weights file,
 * every shape checked, with errors that name the model, the layer and the shape that differ.
 *
 * @example
 * ```ts
 * const take = new MesoLayerReader("Meso4");
 * const dense = take.dense(layer, 1024, 16);
 * ```
 */
export class MesoLayerReader {
  readonly #model: string;

  /** `model` names the architecture in errors: `Not <model> weights: …`. */
  constructor(model: string) {
    this.#model = model;
  }

  /** A `MODEL_SOURCE_INVALID` error for this model. */
  invalid(message: string): LumenError {
    return new LumenError("MODEL_SOURCE_INVALID", `Not ${this.#model} weights: ${message}`);
  }

  /** Checks that `layers` have the kinds `expected` (Keras names layers `<kind>_<counter>`). */
  checkKinds(layers: readonly KerasLayerWeights[], expected: readonly string[]): void {
    expected.forEach((kind, i) => {
      if (layerKind(layers[i]) !== kind) {
        throw this.invalid(`layer ${i} is ${layers[i]?.name ?? "missing"}, expected ${kind}_<n>`);
      }
    });
    if (layers.length !== expected.length) {
      throw this.invalid(`${layers.length} layers, expected ${expected.length}`);
    }
  }

  /** One weight of a layer by its Keras suffix (`kernel:0`), checked against `shape`. */
  weight(layer: KerasLayerWeights, suffix: string, shape: readonly number[]): Float32Array {
    const found = layer.weights.find((w) => w.name.endsWith(`/${suffix}`) || w.name === suffix);
    if (!found) throw this.invalid(`layer ${layer.name} has no ${suffix}`);
    if (found.shape.join(",") !== shape.join(",")) {
      throw this.invalid(
        `${found.name} has shape [${found.shape.join(",")}], expected [${shape.join(",")}]`,
      );
    }
    return found.values;
  }

  /** A Conv2D layer with a bias. */
  conv(layer: KerasLayerWeights, kernelShape: readonly [number, number, number, number]): MesoConv {
    return {
      kernel: this.weight(layer, "kernel:0", kernelShape),
      kernelShape,
      bias: this.weight(layer, "bias:0", [kernelShape[3]]),
    };
  }

  /** A BatchNormalization layer over `channels`. */
  batchNorm(layer: KerasLayerWeights, channels: number): MesoBatchNorm {
    return {
      gamma: this.weight(layer, "gamma:0", [channels]),
      beta: this.weight(layer, "beta:0", [channels]),
      movingMean: this.weight(layer, "moving_mean:0", [channels]),
      movingVariance: this.weight(layer, "moving_variance:0", [channels]),
    };
  }

  /** A Dense layer with a bias. */
  dense(layer: KerasLayerWeights, inputs: number, units: number): MesoDense {
    return {
      kernel: this.weight(layer, "kernel:0", [inputs, units]),
      inputs,
      units,
      bias: this.weight(layer, "bias:0", [units]),
    };
  }
}

/**
 * The kind of a Keras layer from its name: Keras names layers `<kind>_<counter>`, and the
 * counter depends on what else the session built.
 *
 * @example
 * ```ts
 * layerKind({ name: "conv2d_15", weights: [] }); // "conv2d"
 * ```
 */
export function layerKind(layer: KerasLayerWeights | undefined): string | undefined {
  return layer?.name.replace(/_\d+$/, "");
}
