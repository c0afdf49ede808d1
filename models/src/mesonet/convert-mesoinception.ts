import { readKerasWeights } from "../hdf5/read-keras-weights.ts";
import { encodeOnnxModel } from "../onnx/encode-onnx-model.ts";
import { OnnxGraphBuilder } from "../onnx/onnx-graph-builder.ts";
import { MESOINCEPTION4_ARCHITECTURE } from "./mesoinception4-architecture.ts";
import { MesoOnnxLayers } from "./meso-onnx-layers.ts";
import { readMesoInception4Weights } from "./read-mesoinception4-weights.ts";

/** Options of {@link convertMesoInceptionToOnnx}. */
export interface ConvertMesoInceptionOptions {
  /** Written into the model's `metadata_props` (e.g. the source file and its SHA-256). */
  readonly metadata?: Readonly<Record<string, string>>;
}

// Bump when the converter's output changes on purpose, so the pinned hashes change with a reason.
const CONVERTER_VERSION = "1";

/**
 * Converts a MesoInception-4 Keras weights file (DariusAf/MesoNet
 * `weights/MesoInception_DF.h5` or `MesoInception_F2F.h5`) into an ONNX model (opset 17),
 * deterministically: the same file always gives the same bytes.
 *
 * The model takes `input [N,3,256,256]` float32, RGB scaled to [0, 1], NCHW, and returns
 * `output [N,1]`, the sigmoid probability that the face is real (near 1 real, near 0 forged).
 * Dropout is left out (identity at inference); each BatchNormalization stays a node because
 * it follows ReLUs (or their concatenation) and cannot be folded into a convolution.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the bytes are not a Keras HDF5 file or not
 *   MesoInception4 weights.
 * @example
 * ```ts
 * const onnx = convertMesoInceptionToOnnx(await readFile("MesoInception_DF.h5"));
 * const session = await InferenceSession.create(onnx);
 * const { output } = await session.run({ input: new Tensor("float32", rgb, [1, 3, 256, 256]) });
 * ```
 */
export function convertMesoInceptionToOnnx(
  h5: Uint8Array,
  options: ConvertMesoInceptionOptions = {},
): Uint8Array {
  const weights = readMesoInception4Weights(readKerasWeights(h5));
  const { inputSize, inputChannels, batchNormEpsilon, leakyReluAlpha, branchDilations } =
    MESOINCEPTION4_ARCHITECTURE;
  const graph = new OnnxGraphBuilder("mesoinception4");
  const layers = new MesoOnnxLayers(graph);

  let x = graph.addInput("input", "float32", ["N", inputChannels, inputSize, inputSize]);
  let size: number = inputSize;
  let channels: number = inputChannels;
  weights.inception.forEach(({ convs, batchNorm, pool }, b) => {
    const n = b + 1;
    const input = x;
    const conv = (branch: "a" | "bIn" | "b" | "cIn" | "c" | "dIn" | "d", from: string, d = 1) =>
      layers.convRelu(`inc${n}.${branch}`, `inc${n}.${branch}.relu`, from, convs[branch], size, d);
    const branches = [
      conv("a", input),
      conv("b", conv("bIn", input), branchDilations.b),
      conv("c", conv("cIn", input), branchDilations.c),
      conv("d", conv("dIn", input), branchDilations.d),
    ];
    x = graph.addNode("Concat", branches, {
      name: `inc${n}.concat`,
      attributes: { axis: { type: "int", value: 1 } },
    });
    x = layers.batchNorm(`bn${n}`, x, batchNorm, batchNormEpsilon);
    x = layers.maxPool(`pool${n}`, x, pool, size);
    size = Math.ceil(size / pool);
    channels = batchNorm.gamma.length;
  });
  weights.blocks.forEach(({ conv, batchNorm, pool }, b) => {
    const n = weights.inception.length + b + 1;
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
      "MesoInception-4 (DariusAf/MesoNet, Apache-2.0) converted from Keras. input [N,3,256,256] RGB / 255; output [N,1] probability that the face is real.",
    graph: graph.build(),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
}
