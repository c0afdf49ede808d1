import { LumenError } from "@lumen/protocol";
import type { KerasLayerWeights, KerasWeightsFile } from "../hdf5/read-keras-weights.ts";
import { encodeOnnxModel } from "../onnx/encode-onnx-model.ts";
import { OnnxGraphBuilder } from "../onnx/onnx-graph-builder.ts";
import { kerasLayerChain, type KerasLayerConfig } from "./keras-model-config.ts";
import {
  convKernelToOihw,
  denseRowsToChw,
  depthwiseKernelToOihw,
  kerasSamePads,
} from "./keras-onnx-layout.ts";

/** Options of {@link convertKerasChainToOnnx}. */
export interface ConvertKerasChainOptions {
  /** The ONNX graph's name. */
  readonly graphName: string;
  /** The model's `doc_string`: what it is and how to feed it. */
  readonly docString: string;
  /** Bump when the output changes on purpose, so the pinned hashes change with a reason. */
  readonly producerVersion: string;
  /** Written into the model's `metadata_props`. */
  readonly metadata?: Readonly<Record<string, string>>;
}

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Cannot convert the Keras model: ${message}`);
}

type Shape4 = readonly [number, number, number, number];

interface FeatureMap {
  /** Height, width, channels; height and width are 0 once flattened. */
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** The map a Flatten read, for the row order of the Dense after it. */
  readonly flattenedFrom?: FeatureMap;
}

function pair(config: KerasLayerConfig, key: string): [number, number] {
  const value = config.config[key];
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !value.every((v) => Number.isInteger(v) && (v as number) > 0)
  ) {
    throw invalid(`layer ${config.name} has ${key} ${JSON.stringify(value)}`);
  }
  return value as [number, number];
}

function oneOf<T extends string>(config: KerasLayerConfig, key: string, allowed: readonly T[]): T {
  const value = config.config[key];
  if (!allowed.includes(value as T)) {
    throw invalid(
      `layer ${config.name} (${config.className}) has ${key} ${JSON.stringify(value)}, ` +
        `supported: ${allowed.join(", ")}`,
    );
  }
  return value as T;
}

function positiveInt(config: KerasLayerConfig, key: string): number {
  const value = config.config[key];
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw invalid(`layer ${config.name} has ${key} ${JSON.stringify(value)}`);
  }
  return value as number;
}

function weight(layer: KerasLayerWeights, suffix: string, shape: readonly number[]): Float32Array {
  const found = layer.weights.find((w) => w.name.endsWith(`/${suffix}`));
  if (!found) throw invalid(`layer ${layer.name} has no weight ${suffix}`);
  if (found.shape.join(",") !== shape.join(",")) {
    throw invalid(
      `${found.name} has shape [${found.shape.join(",")}], expected [${shape.join(",")}]`,
    );
  }
  return found.values;
}

interface ConvWeights {
  readonly kernel: Float32Array;
  readonly bias: Float32Array | undefined;
}

// Keras BatchNormalization at inference: (x - mean) / sqrt(var + eps) * gamma + beta. After a
// convolution without activation that is an exact per-channel affine map, folded into the
// kernel and bias in float64, so the graph has one node fewer per convolution.
function foldBatchNorm(
  conv: ConvWeights,
  bn: KerasLayerWeights,
  bnConfig: KerasLayerConfig,
  outChannels: number,
): ConvWeights {
  const epsilon = bnConfig.config.epsilon;
  if (typeof epsilon !== "number") throw invalid(`layer ${bn.name} has no epsilon`);
  const gamma = weight(bn, "gamma:0", [outChannels]);
  const beta = weight(bn, "beta:0", [outChannels]);
  const mean = weight(bn, "moving_mean:0", [outChannels]);
  const variance = weight(bn, "moving_variance:0", [outChannels]);
  const perChannel = conv.kernel.length / outChannels;
  const kernel = new Float32Array(conv.kernel.length);
  const bias = new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const scale = (gamma[o] ?? NaN) / Math.sqrt((variance[o] ?? NaN) + epsilon);
    for (let i = 0; i < perChannel; i++) {
      kernel[o * perChannel + i] = (conv.kernel[o * perChannel + i] ?? NaN) * scale;
    }
    bias[o] = ((conv.bias?.[o] ?? 0) - (mean[o] ?? NaN)) * scale + (beta[o] ?? NaN);
  }
  return { kernel, bias };
}

/**
 * Converts a Keras 2 model saved whole (`model.save()`, so the HDF5 file carries its
 * `model_config`) into an ONNX model (opset 17, NCHW, batch dimension `N`), when the model is a
 * chain of the layers image classifiers such as MobileNet are made of: InputLayer, Conv2D,
 * DepthwiseConv2D, BatchNormalization, Activation, Dropout, Flatten and Dense, with linear,
 * ReLU or sigmoid activations. A BatchNormalization right after a convolution without activation
 * is folded into it. The graph input is `input [N,C,H,W]`, the output `output`. Any other
 * layer, option or a weight that does not fit the config is refused by name.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` naming the layer, option or weight.
 * @example
 * ```ts
 * const onnx = convertKerasChainToOnnx(readKerasWeights(h5), {
 *   graphName: "hyperfas",
 *   docString: "…",
 *   producerVersion: "1",
 * });
 * ```
 */
export function convertKerasChainToOnnx(
  file: KerasWeightsFile,
  options: ConvertKerasChainOptions,
): Uint8Array {
  const chain = kerasLayerChain(file.modelConfig);
  const weightsByName = new Map(file.layers.map((layer) => [layer.name, layer]));
  chain.forEach((layer, i) => {
    const saved = file.layers[i]?.name;
    if (saved !== layer.name) {
      throw invalid(
        `model_config layer ${i} is ${layer.name}, the weights list ${saved ?? "nothing"} there`,
      );
    }
  });
  if (file.layers.length !== chain.length) {
    throw invalid(`${file.layers.length} weight layers for ${chain.length} config layers`);
  }
  const weightsOf = (layer: KerasLayerConfig): KerasLayerWeights =>
    weightsByName.get(layer.name) as KerasLayerWeights;

  const [inputLayer] = chain;
  const inputShape = inputLayer?.config.batch_input_shape;
  if (
    inputLayer?.className !== "InputLayer" ||
    !Array.isArray(inputShape) ||
    inputShape.length !== 4 ||
    !inputShape.slice(1).every((v) => Number.isInteger(v))
  ) {
    throw invalid("the first layer is not an image InputLayer [null, H, W, C]");
  }
  const [, height, width, channels] = inputShape as [null, number, number, number];

  const graph = new OnnxGraphBuilder(options.graphName);
  const initializer = (name: string, dims: readonly number[], data: Float32Array): string =>
    graph.addInitializer({ name, dataType: "float32", dims, data });
  let x = graph.addInput("input", "float32", ["N", channels, height, width]);
  let map: FeatureMap = { height, width, channels };
  let outputDims: number[] = [channels, height, width];

  const lastIndex = chain.length - 1;
  // The last node of the last layer writes the graph output.
  const outputsOf = (i: number, finalNodeOfLayer: boolean) =>
    i === lastIndex && finalNodeOfLayer ? { outputs: ["output"] } : {};
  // A layer's own activation is a node of its own, named after the layer.
  const activate = (i: number, nodeName: string, activation: string): void => {
    if (activation === "linear") return;
    const op = activation === "relu" ? "Relu" : "Sigmoid";
    x = graph.addNode(op, [x], { name: nodeName, ...outputsOf(i, true) });
  };

  for (let i = 1; i < chain.length; i++) {
    const layer = chain[i] as KerasLayerConfig;
    const { name, className } = layer;
    if ("data_format" in layer.config) oneOf(layer, "data_format", ["channels_last"]);
    switch (className) {
      case "Conv2D":
      case "DepthwiseConv2D": {
        const depthwise = className === "DepthwiseConv2D";
        const [kh, kw] = pair(layer, "kernel_size");
        const [sh, sw] = pair(layer, "strides");
        const [dh, dw] = pair(layer, "dilation_rate");
        const padding = oneOf(layer, "padding", ["same", "valid"]);
        const activation = oneOf(layer, "activation", ["linear", "relu", "sigmoid"]);
        const multiplier = depthwise ? positiveInt(layer, "depth_multiplier") : 1;
        const filters = depthwise ? map.channels * multiplier : positiveInt(layer, "filters");
        const kernelShape: Shape4 = [kh, kw, map.channels, depthwise ? multiplier : filters];
        const saved = weightsOf(layer);
        const raw = weight(saved, depthwise ? "depthwise_kernel:0" : "kernel:0", kernelShape);
        let conv: ConvWeights = {
          kernel: depthwise
            ? depthwiseKernelToOihw(raw, kernelShape)
            : convKernelToOihw(raw, kernelShape),
          bias: layer.config.use_bias === true ? weight(saved, "bias:0", [filters]) : undefined,
        };
        const next = chain[i + 1];
        const fold = activation === "linear" && next?.className === "BatchNormalization";
        if (fold) {
          conv = foldBatchNorm(conv, weightsOf(next), next, filters);
          i++;
        }
        const pads = (size: number, k: number, s: number, d: number) =>
          padding === "same" ? kerasSamePads(size, k, s, d) : [0, 0, 0, 0];
        const [top, , bottom] = pads(map.height, kh, sh, dh);
        const [left, , right] = pads(map.width, kw, sw, dw);
        x = graph.addNode(
          "Conv",
          [
            x,
            initializer(
              `${name}.weight`,
              [filters, depthwise ? 1 : map.channels, kh, kw],
              conv.kernel,
            ),
            ...(conv.bias ? [initializer(`${name}.bias`, [filters], conv.bias)] : []),
          ],
          {
            name,
            attributes: {
              kernel_shape: { type: "ints", value: [kh, kw] },
              pads: { type: "ints", value: [top ?? 0, left ?? 0, bottom ?? 0, right ?? 0] },
              strides: { type: "ints", value: [sh, sw] },
              dilations: { type: "ints", value: [dh, dw] },
              group: { type: "int", value: depthwise ? map.channels : 1 },
            },
            ...outputsOf(i, activation === "linear"),
          },
        );
        const out = (size: number, k: number, s: number, d: number) =>
          padding === "same" ? Math.ceil(size / s) : Math.floor((size - d * (k - 1) - 1) / s) + 1;
        map = {
          height: out(map.height, kh, sh, dh),
          width: out(map.width, kw, sw, dw),
          channels: filters,
        };
        outputDims = [map.channels, map.height, map.width];
        activate(i, `${name}/${activation}`, activation);
        break;
      }
      case "BatchNormalization": {
        const axis = layer.config.axis;
        if (axis !== -1 && axis !== 3)
          throw invalid(`layer ${name} normalises axis ${JSON.stringify(axis)}`);
        const epsilon = layer.config.epsilon;
        if (typeof epsilon !== "number") throw invalid(`layer ${name} has no epsilon`);
        const saved = weightsOf(layer);
        const c = map.channels;
        x = graph.addNode(
          "BatchNormalization",
          [
            x,
            initializer(`${name}.scale`, [c], weight(saved, "gamma:0", [c])),
            initializer(`${name}.bias`, [c], weight(saved, "beta:0", [c])),
            initializer(`${name}.mean`, [c], weight(saved, "moving_mean:0", [c])),
            initializer(`${name}.var`, [c], weight(saved, "moving_variance:0", [c])),
          ],
          {
            name,
            attributes: { epsilon: { type: "float", value: epsilon } },
            ...outputsOf(i, true),
          },
        );
        break;
      }
      case "Activation":
        activate(i, name, oneOf(layer, "activation", ["relu", "sigmoid"]));
        break;
      case "Dropout":
        break;
      case "Flatten":
        x = graph.addNode("Flatten", [x], {
          name,
          attributes: { axis: { type: "int", value: 1 } },
          ...outputsOf(i, true),
        });
        map = {
          height: 0,
          width: 0,
          channels: map.height * map.width * map.channels,
          flattenedFrom: map,
        };
        outputDims = [map.channels];
        break;
      case "Dense": {
        if (map.height !== 0) throw invalid(`layer ${name} reads an unflattened map`);
        const units = positiveInt(layer, "units");
        const activation = oneOf(layer, "activation", ["linear", "relu", "sigmoid"]);
        if (layer.config.use_bias !== true) throw invalid(`layer ${name} has no bias`);
        const saved = weightsOf(layer);
        const kernel = weight(saved, "kernel:0", [map.channels, units]);
        const from = map.flattenedFrom;
        x = graph.addNode(
          "Gemm",
          [
            x,
            initializer(
              `${name}.weight`,
              [map.channels, units],
              from ? denseRowsToChw(kernel, units, from.height, from.width, from.channels) : kernel,
            ),
            initializer(`${name}.bias`, [units], weight(saved, "bias:0", [units])),
          ],
          { name, ...outputsOf(i, activation === "linear") },
        );
        map = { height: 0, width: 0, channels: units };
        outputDims = [units];
        activate(i, `${name}/${activation}`, activation);
        break;
      }
      default:
        throw invalid(`layer ${name} is a ${className}, which this converter does not support`);
    }
  }
  if (x !== "output") throw invalid("the last layer writes no output (Dropout or folded last)");
  graph.addOutput("output", "float32", ["N", ...outputDims]);

  return encodeOnnxModel({
    irVersion: 8,
    opsetVersion: 17,
    producerName: "@lumen/models",
    producerVersion: options.producerVersion,
    docString: options.docString,
    graph: graph.build(),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
}
