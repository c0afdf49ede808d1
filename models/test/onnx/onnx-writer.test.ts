import { readFile } from "node:fs/promises";
import { onnx } from "onnx-proto";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { convertMesonetToOnnx } from "../../src/mesonet/convert-mesonet.ts";
import { encodeOnnxModel } from "../../src/onnx/encode-onnx-model.ts";
import { OnnxGraphBuilder } from "../../src/onnx/onnx-graph-builder.ts";
import type { OnnxGraph } from "../../src/onnx/onnx-model.ts";

// The ONNX writer is shared by every converter; its tests live here until it has a test folder.

function tinyGraph(): OnnxGraph {
  const graph = new OnnxGraphBuilder("tiny");
  const x = graph.addInput("x", "float32", ["N", 2]);
  const w = graph.addInitializer({
    name: "w",
    dataType: "float32",
    dims: [2, 3],
    data: Float32Array.of(1, 2, 3, -4, -5, -6),
  });
  const shape = graph.addInitializer({
    name: "shape",
    dataType: "int64",
    dims: [2],
    data: BigInt64Array.of(-1n, 3n),
  });
  const y = graph.addNode("Gemm", [x, w], {
    attributes: { alpha: { type: "float", value: 0.5 }, transB: { type: "int", value: 0 } },
  });
  const r = graph.addNode("Reshape", [y, shape]);
  const z = graph.addNode("LeakyRelu", [r], {
    attributes: { alpha: { type: "float", value: 0.25 } },
    outputs: ["z"],
  });
  graph.addOutput(z, "float32", ["N", 3]);
  return graph.build();
}

const tinyModel = (metadata?: Record<string, string>): Uint8Array =>
  encodeOnnxModel({
    irVersion: 8,
    opsetVersion: 17,
    producerName: "test",
    producerVersion: "1",
    graph: tinyGraph(),
    ...(metadata ? { metadata } : {}),
  });

describe("encodeOnnxModel", () => {
  it("writes a model onnxruntime runs", async () => {
    const session = await InferenceSession.create(tinyModel());
    const { z } = await session.run({
      x: new Tensor("float32", Float32Array.of(1, 1, 2, 0), [2, 2]),
    });
    // 0.5 * [1,1]·w = [-1.5, -1.5, -1.5] → ·0.25; 0.5 * [2,0]·w = [1, 2, 3].
    expect(Array.from(z?.data as Float32Array)).toEqual([-0.375, -0.375, -0.375, 1, 2, 3]);
  });

  it("writes fields where onnx.proto says, as an independent protobuf decoder reads them", () => {
    const model = onnx.ModelProto.decode(tinyModel({ b: "2", a: "1" }));
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", 17]]);
    expect(model.metadataProps.map((p) => p.key)).toEqual(["a", "b"]);
    const graph = model.graph as onnx.GraphProto;
    expect(graph.node.map((n) => [n.opType, n.name, n.input, n.output])).toEqual([
      ["Gemm", "gemm_1", ["x", "w"], ["gemm_1"]],
      ["Reshape", "reshape_1", ["gemm_1", "shape"], ["reshape_1"]],
      ["LeakyRelu", "leaky_relu_1", ["reshape_1"], ["z"]],
    ]);
    const gemm = graph.node[0] as onnx.NodeProto;
    expect(gemm.attribute.map((a) => [a.name, a.type, a.f, Number(a.i)])).toEqual([
      ["alpha", onnx.AttributeProto.AttributeType.FLOAT, 0.5, 0],
      ["transB", onnx.AttributeProto.AttributeType.INT, 0, 0],
    ]);
    const [w, shape] = graph.initializer;
    expect(w?.dims?.map(Number)).toEqual([2, 3]);
    expect(w?.dataType).toBe(onnx.TensorProto.DataType.FLOAT);
    expect(shape?.dataType).toBe(onnx.TensorProto.DataType.INT64);
    const input = graph.input[0]?.type?.tensorType;
    expect(input?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(["N", 2]);
  });

  it("is independent of metadata key order", () => {
    expect(tinyModel({ a: "1", b: "2" })).toEqual(tinyModel({ b: "2", a: "1" }));
  });
});

describe("OnnxGraphBuilder", () => {
  it("refuses a node that reads an undefined value", () => {
    const graph = new OnnxGraphBuilder("g");
    graph.addInput("x", "float32", [1]);
    expect(() => graph.addNode("Add", ["x", "y"])).toThrow(/reads "y", which is not defined yet/);
  });

  it("refuses a value defined twice", () => {
    const graph = new OnnxGraphBuilder("g");
    const x = graph.addInput("x", "float32", [1]);
    expect(() => graph.addNode("Relu", [x], { outputs: ["x"] })).toThrow(/"x" is defined twice/);
  });

  it("refuses an initializer whose data does not fill its dims", () => {
    const graph = new OnnxGraphBuilder("g");
    expect(() =>
      graph.addInitializer({
        name: "w",
        dataType: "float32",
        dims: [2, 2],
        data: new Float32Array(3),
      }),
    ).toThrow(/3 elements for dims \[2,2\]/);
  });

  it("refuses a graph without outputs", () => {
    expect(() => new OnnxGraphBuilder("g").build()).toThrow(/no output/);
  });
});

describe("the Meso4 ONNX graph", () => {
  it("has the ops, names and shapes the model catalog describes", async () => {
    const h5 = await readFile(
      new URL("../../../../shared/models/mesonet/Meso4_DF.h5", import.meta.url),
    );
    const graph = onnx.ModelProto.decode(convertMesonetToOnnx(h5)).graph as onnx.GraphProto;
    const block = ["Conv", "Relu", "BatchNormalization", "MaxPool"];
    expect(graph.node.map((n) => n.opType)).toEqual([
      ...block,
      ...block,
      ...block,
      ...block,
      "Flatten",
      "Gemm",
      "LeakyRelu",
      "Gemm",
      "Sigmoid",
    ]);
    const dims = (info: onnx.IValueInfoProto | undefined): (string | number)[] | undefined =>
      info?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));
    expect([graph.input[0]?.name, dims(graph.input[0])]).toEqual(["input", ["N", 3, 256, 256]]);
    expect([graph.output[0]?.name, dims(graph.output[0])]).toEqual(["output", ["N", 1]]);
  });
});
