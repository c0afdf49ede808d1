import { readKerasWeights } from "../hdf5/read-keras-weights.ts";
import { encodeOnnxModel } from "../onnx/encode-onnx-model.ts";
import { OnnxGraphBuilder } from "../onnx/onnx-graph-builder.ts";
import { MESO4_ARCHITECTURE } from "./meso4-architecture.ts";
import { MesoOnnxLayers } from "./meso-onnx-layers.ts";
import { readMeso4Weights } from "./read-meso4-weights.ts";

/** Options of {@link convertMesonetToOnnx}. */
export interface ConvertMesonetOptions {
  /** Written into the model's `metadata_props` (e.g. the source file and its SHA-256). */
  readonly metadata?: Readonly<Record<string, string>>;
}

// Bump when the converter's output changes on purpose, so the pinned hashes change with a reason.
const CONVERTER_VERSION = "1";

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
  const layers = new MesoOnnxLayers(graph);

  let x = graph.addInput("input", "float32", ["N", inputChannels, inputSize, inputSize]);
  let size: number = inputSize;
  let channels: number = inputChannels;
  weights.blocks.forEach(({ conv, batchNorm, pool }, b) => {
    const n = b + 1;
    x = layers.convRelu(`conv${n}`, `relu${n}`, x, conv, size);
    x = layers.batchNorm(`bn${n}`, x, batchNorm, batchNormEpsilon);
    x = layers.maxPool(`pool${n}`, x, pool, size);
    size = Math.ceil(size / pool);
    channels = conv.kernelShape[3];
  });
  layers.classifierHead(x, weights, size, channels, leakyReluAlpha);

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
