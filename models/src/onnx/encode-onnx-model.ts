import type {
  OnnxAttribute,
  OnnxDataType,
  OnnxGraph,
  OnnxModel,
  OnnxNode,
  OnnxTensor,
  OnnxValueInfo,
} from "./onnx-model.ts";
import { ProtobufWriter } from "./protobuf-writer.ts";

// Field numbers and enum values from onnx/onnx.proto (stable since IR version 3).
const TENSOR_DATA_TYPE: Readonly<Record<OnnxDataType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
};

const ATTRIBUTE_TYPE: Readonly<Record<OnnxAttribute["type"], number>> = {
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  floats: 6,
  ints: 7,
};

const textEncoder = new TextEncoder();

// DataView fixes the byte order: ONNX raw_data is little-endian whatever the host is.
function rawData(tensor: OnnxTensor): Uint8Array {
  const { data } = tensor;
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  const step = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    switch (tensor.dataType) {
      case "float32":
        view.setFloat32(i * step, tensor.data[i] ?? 0, true);
        break;
      case "float16":
        view.setUint16(i * step, tensor.data[i] ?? 0, true);
        break;
      case "int32":
        view.setInt32(i * step, tensor.data[i] ?? 0, true);
        break;
      case "int64":
        view.setBigInt64(i * step, tensor.data[i] ?? 0n, true);
        break;
      case "int8":
        view.setInt8(i, tensor.data[i] ?? 0);
        break;
      case "uint8":
      case "bool":
        view.setUint8(i, tensor.data[i] ?? 0);
        break;
    }
  }
  return bytes;
}

function tensorProto(tensor: OnnxTensor): ProtobufWriter {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== count) {
    throw new RangeError(
      `Tensor ${tensor.name} has ${tensor.data.length} elements for dims [${tensor.dims.join(",")}]`,
    );
  }
  return new ProtobufWriter()
    .packedInt64(1, tensor.dims)
    .int64(2, TENSOR_DATA_TYPE[tensor.dataType])
    .string(8, tensor.name)
    .bytes(9, rawData(tensor));
}

function attributeProto(name: string, attribute: OnnxAttribute): ProtobufWriter {
  const proto = new ProtobufWriter().string(1, name);
  switch (attribute.type) {
    case "float":
      proto.float32(2, attribute.value);
      break;
    case "int":
      proto.int64(3, attribute.value);
      break;
    case "string":
      proto.bytes(4, textEncoder.encode(attribute.value));
      break;
    case "tensor":
      proto.message(5, tensorProto(attribute.value));
      break;
    case "floats":
      proto.packedFloat32(7, attribute.value);
      break;
    case "ints":
      proto.packedInt64(8, attribute.value);
      break;
  }
  return proto.int64(20, ATTRIBUTE_TYPE[attribute.type]);
}

function nodeProto(node: OnnxNode): ProtobufWriter {
  const proto = new ProtobufWriter();
  for (const input of node.inputs) proto.string(1, input);
  for (const output of node.outputs) proto.string(2, output);
  proto.string(3, node.name).string(4, node.opType);
  // Sorted so the bytes do not depend on the order a converter happened to list attributes in.
  for (const name of Object.keys(node.attributes).sort()) {
    const attribute = node.attributes[name];
    if (attribute) proto.message(5, attributeProto(name, attribute));
  }
  if (node.domain) proto.string(7, node.domain);
  return proto;
}

function valueInfoProto(info: OnnxValueInfo): ProtobufWriter {
  const shape = new ProtobufWriter();
  for (const dim of info.shape) {
    const dimension = new ProtobufWriter();
    if (typeof dim === "number") dimension.int64(1, dim);
    else dimension.string(2, dim);
    shape.message(1, dimension);
  }
  const tensorType = new ProtobufWriter()
    .int64(1, TENSOR_DATA_TYPE[info.dataType])
    .message(2, shape);
  const type = new ProtobufWriter().message(1, tensorType);
  return new ProtobufWriter().string(1, info.name).message(2, type);
}

function graphProto(graph: OnnxGraph): ProtobufWriter {
  const proto = new ProtobufWriter();
  for (const node of graph.nodes) proto.message(1, nodeProto(node));
  proto.string(2, graph.name);
  for (const tensor of graph.initializers) proto.message(5, tensorProto(tensor));
  if (graph.docString) proto.string(10, graph.docString);
  for (const input of graph.inputs) proto.message(11, valueInfoProto(input));
  for (const output of graph.outputs) proto.message(12, valueInfoProto(output));
  return proto;
}

/**
 * Serialises a model to the ONNX protobuf format. Pure and deterministic: the same model gives
 * the same bytes (no timestamps, attributes and metadata sorted, weights as little-endian
 * `raw_data`), so a model build can be pinned by hash.
 *
 * @example
 * ```ts
 * const bytes = encodeOnnxModel({
 *   irVersion: 8,
 *   opsetVersion: 17,
 *   producerName: "lumen-models",
 *   producerVersion: "1",
 *   graph: builder.build(),
 * });
 * await InferenceSession.create(bytes);
 * ```
 */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const proto = new ProtobufWriter()
    .int64(1, model.irVersion)
    .string(2, model.producerName)
    .string(3, model.producerVersion);
  if (model.docString) proto.string(6, model.docString);
  proto
    .message(7, graphProto(model.graph))
    .message(8, new ProtobufWriter().string(1, "").int64(2, model.opsetVersion));
  const metadata = model.metadata ?? {};
  for (const key of Object.keys(metadata).sort()) {
    proto.message(14, new ProtobufWriter().string(1, key).string(2, metadata[key] ?? ""));
  }
  return proto.finish();
}
