import { LumenError } from "@lumen/protocol";
import { readKerasWeights } from "../hdf5/read-keras-weights.ts";
import { convertKerasChainToOnnx } from "../keras/convert-keras-chain.ts";
import { kerasLayerChain } from "../keras/keras-model-config.ts";

/** Options of {@link convertHyperfasToOnnx}. */
export interface ConvertHyperfasOptions {
  /** Written into the model's `metadata_props` (e.g. the source file and its SHA-256). */
  readonly metadata?: Readonly<Record<string, string>>;
}

// Bump when the converter's output changes on purpose, so the pinned hashes change with a reason.
const CONVERTER_VERSION = "1";

/** HyperFAS's input side; upstream `src/demo.py` resizes every face crop to it. */
export const HYPERFAS_INPUT_SIZE = 224;

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Not the HyperFAS model: ${message}`);
}

/**
 * Converts HyperFAS (zeusees/HyperFAS `model/fas.h5`, a Keras MobileNet-0.5 saved whole with
 * `model.save()`) into an ONNX model (opset 17), deterministically. The architecture is read
 * from the file's own `model_config`; each BatchNormalization is folded into the convolution
 * before it.
 *
 * The model takes `input [N,3,224,224]` float32, NCHW, **BGR**, `(value - 127.5) / 127.5`: the
 * values upstream `src/demo.py` feeds Keras (an OpenCV BGR face crop, `cv2.resize` to 224x224,
 * `(X - 127.5) / 127.5`). It returns `output [N,1]`, a sigmoid score where 1 is a live face
 * (the demo draws a green box above 0.95 and a blue one otherwise).
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the bytes are not a Keras HDF5 file, carry
 *   no model config, or describe another model.
 * @example
 * ```ts
 * const onnx = convertHyperfasToOnnx(await readFile("fas.h5"));
 * const session = await InferenceSession.create(onnx);
 * const { output } = await session.run({ input: new Tensor("float32", bgr, [1, 3, 224, 224]) });
 * ```
 */
export function convertHyperfasToOnnx(
  h5: Uint8Array,
  options: ConvertHyperfasOptions = {},
): Uint8Array {
  const file = readKerasWeights(h5);
  const chain = kerasLayerChain(file.modelConfig);
  const shape = JSON.stringify(chain[0]?.config.batch_input_shape);
  const expected = JSON.stringify([null, HYPERFAS_INPUT_SIZE, HYPERFAS_INPUT_SIZE, 3]);
  if (shape !== expected) throw invalid(`input shape ${shape}, expected ${expected}`);
  const last = chain.at(-1);
  if (
    last?.className !== "Dense" ||
    last.config.units !== 1 ||
    last.config.activation !== "sigmoid"
  ) {
    throw invalid(`the last layer is ${last?.name ?? "missing"}, expected Dense(1, sigmoid)`);
  }
  return convertKerasChainToOnnx(file, {
    graphName: "hyperfas",
    producerVersion: CONVERTER_VERSION,
    docString:
      "HyperFAS (zeusees/HyperFAS, BSD-3-Clause) converted from Keras. input [N,3,224,224] BGR, (value - 127.5) / 127.5; output [N,1] sigmoid, 1 = live face.",
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
}
