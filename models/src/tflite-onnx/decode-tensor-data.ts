import { LumenError } from "@lumen/protocol";
import { float16ToFloat32 } from "./float16-to-float32.ts";
import type { TfliteTensor } from "./tflite-graph.ts";

/** A constant's values: floats widened to float32, integers as int32. */
export type TensorValues = Float32Array | Int32Array;

/**
 * Decodes a constant tensor's little-endian bytes into a typed array: float32 as is, float16
 * widened exactly to float32, int32 as is. Other types are refused, naming the tensor.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the tensor has no data or another type.
 * @example
 * ```ts
 * const kernel = decodeTensorData(model.tensors[5]); // Float32Array of out·kh·kw·in values
 * ```
 */
export function decodeTensorData(tensor: TfliteTensor): TensorValues {
  const { data } = tensor;
  if (!data) {
    throw new LumenError("MODEL_SOURCE_INVALID", `Tensor "${tensor.name}" is not a constant`);
  }
  // DataView fixes the byte order and copes with buffers that are not 4-byte aligned.
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (tensor.type) {
    case "float32":
      return Float32Array.from({ length: data.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
    case "float16":
      return Float32Array.from({ length: data.length / 2 }, (_, i) =>
        float16ToFloat32(view.getUint16(2 * i, true)),
      );
    case "int32":
      return Int32Array.from({ length: data.length / 4 }, (_, i) => view.getInt32(4 * i, true));
    default:
      throw new LumenError(
        "MODEL_SOURCE_INVALID",
        `Constant tensor "${tensor.name}" has type ${tensor.type}, which the converter does not read`,
      );
  }
}
