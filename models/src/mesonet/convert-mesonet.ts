import { readKerasWeights } from "../hdf5/read-keras-weights.ts";
import { encodeOnnxModel } from "../onnx/encode-onnx-model.ts";
import { OnnxGraphBuilder } from "../onnx/onnx-graph-builder.ts";
import { MESO4_ARCHITECTURE } from "./meso4-architecture.ts";
import { readMeso4Weights, type Meso4Conv, type Meso4Dense } from "./read-meso4-weights.ts";

/** Options of {@link convertMesonetToOnnx}. */
export interface ConvertMesonetOptions {
  /** Written into the model's `metadata_props` (e.g. the source file and its SHA-256). */
  readonly metadata?: Readonly<Record<string, string>>;
}

// Bump when the converter's output changes on purpose, so the pinned hashes change with a reason.
const CONVERTER_VERSION = "1";

// Keras "same": output ceil(in / stride), the odd pixel of padding goes after (TF convention).
function samePads(size: number, kernel: number, stride: number): number[] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, before, total - before, total - before];
}

// Keras kernels are [kh, kw, in, out]; ONNX Conv wants [out, in, kh, kw].
function convKernelToOihw({ kernel, kernelShape }: Meso4Conv): Float32Array {
  const [kh, kw, cin, cout] = kernelShape;
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          out[((o * cin + i) * kh + y) * kw + x] = kernel[((y * kw + x) * cin + i) * cout + o] ?? 0;
        }
  return out;
}

// Keras flattens NHWC, so its Dense rows run (h, w, c); ONNX Flatten of NCHW runs (c, h, w).
// Reordering the rows once here keeps the graph free of a Transpose before Flatten.
function denseRowsToChw(dense: Meso4Dense, size: number, channels: number): Float32Array {
  const { kernel, units } = dense;
  const out = new Float32Array(kernel.length);
  for (let c = 0; c < channels; c++)
    for (let h = 0; h < size; h++)
      for (let w = 0; w < size; w++) {
        const from = ((h * size + w) * channels + c) * units;
        out.set(kernel.subarray(from, from + units), ((c * size + h) * size + w) * units);
      }
  return out;
}

/**
 * Converts a MesoNet-4 Keras weights file (DariusAf/MesoNet `weights/Meso4_DF.h5` or
 * `Meso4_F2F.h5`) into an ONNX model (opset 17), deterministically: the same file always gives
 * the same bytes.
 *
 * The model takes `input [N,3,256,256]` float32, RGB scaled to [0, 1], NCHW, and returns
 * `output [N,1]`, the sigmoid probability that the face is real (near 1 real, near 0 forged).
 * Dropout is left out (identity at inference); BatchNormalization stays a node because it
 * follows the ReLU and cannot be folded into the convolution before it.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the bytes are not a Keras HDF5 file or not
 *   Meso4 weights.
 * @example
 * ```ts
 * const onnx = convertMesonetToOnnx(await readFile("Meso4_DF.h5"));
 * const session = await InferenceSession.create(onnx);
 * const { output } = await session.run({ input: new Tensor("float32", rgb, [1, 3, 256, 256]) });
 * ```
 */
export function convertMesonetToOnnx(
  h5: Uint8Array,
  options: ConvertMesonetOptions = {},
): Uint8Array {
  const weights = readMeso4Weights(readKerasWeights(h5));
  const { inputSize, inputChannels, batchNormEpsilon, leakyReluAlpha } = MESO4_ARCHITECTURE;
  const graph = new OnnxGraphBuilder("meso4");
  const weight = (name: string, dims: readonly number[], data: Float32Array): string =>
    graph.addInitializer({ name, dataType: "float32", dims, data });

  let x = graph.addInput("input", "float32", ["N", inputChannels, inputSize, inputSize]);
  let size: number = inputSize;
  let channels: number = inputChannels;
  weights.blocks.forEach(({ conv, batchNorm, pool }, b) => {
    const [kernel, , , filters] = conv.kernelShape;
    const n = b + 1;
    x = graph.addNode(
      "Conv",
      [
        x,
        weight(`conv${n}.weight`, [filters, channels, kernel, kernel], convKernelToOihw(conv)),
        weight(`conv${n}.bias`, [filters], conv.bias),
      ],
      {
        name: `conv${n}`,
        attributes: {
          kernel_shape: { type: "ints", value: [kernel, kernel] },
          pads: { type: "ints", value: samePads(size, kernel, 1) },
          strides: { type: "ints", value: [1, 1] },
        },
      },
    );
    x = graph.addNode("Relu", [x], { name: `relu${n}` });
    x = graph.addNode(
      "BatchNormalization",
      [
        x,
        weight(`bn${n}.scale`, [filters], batchNorm.gamma),
        weight(`bn${n}.bias`, [filters], batchNorm.beta),
        weight(`bn${n}.mean`, [filters], batchNorm.movingMean),
        weight(`bn${n}.var`, [filters], batchNorm.movingVariance),
      ],
      { name: `bn${n}`, attributes: { epsilon: { type: "float", value: batchNormEpsilon } } },
    );
    x = graph.addNode("MaxPool", [x], {
      name: `pool${n}`,
      attributes: {
        kernel_shape: { type: "ints", value: [pool, pool] },
        pads: { type: "ints", value: samePads(size, pool, pool) },
        strides: { type: "ints", value: [pool, pool] },
      },
    });
    size = Math.ceil(size / pool);
    channels = filters;
  });

  const { hidden, classifier } = weights;
  x = graph.addNode("Flatten", [x], {
    name: "flatten",
    attributes: { axis: { type: "int", value: 1 } },
  });
  x = graph.addNode(
    "Gemm",
    [
      x,
      weight(
        "dense1.weight",
        [hidden.inputs, hidden.units],
        denseRowsToChw(hidden, size, channels),
      ),
      weight("dense1.bias", [hidden.units], hidden.bias),
    ],
    { name: "dense1" },
  );
  x = graph.addNode("LeakyRelu", [x], {
    name: "leaky_relu",
    attributes: { alpha: { type: "float", value: leakyReluAlpha } },
  });
  x = graph.addNode(
    "Gemm",
    [
      x,
      weight("dense2.weight", [classifier.inputs, classifier.units], classifier.kernel),
      weight("dense2.bias", [classifier.units], classifier.bias),
    ],
    { name: "dense2" },
  );
  graph.addNode("Sigmoid", [x], { name: "sigmoid", outputs: ["output"] });
  graph.addOutput("output", "float32", ["N", 1]);

  return encodeOnnxModel({
    irVersion: 8,
    opsetVersion: 17,
    producerName: "@lumen/models",
    producerVersion: CONVERTER_VERSION,
    docString:
      "MesoNet-4 (DariusAf/MesoNet, Apache-2.0) converted from Keras. input [N,3,256,256] RGB / 255; output [N,1] probability that the face is real.",
    graph: graph.build(),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
}
