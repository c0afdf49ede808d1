import type { Builder } from "flatbuffers";
import { LumenError } from "@lumen/protocol";
import type {
  TfliteModelExtension,
  TfliteOperatorSpec,
  TfliteTensorSpec,
} from "../tflite/extend-tflite-model.ts";
import { float32ToFloat16 } from "../tflite/float32-to-float16.ts";
import type { TfliteModelView } from "../tflite/read-tflite-model.ts";
import {
  BUILTIN_OPERATOR,
  BUILTIN_OPTIONS,
  PADDING,
  TENSOR_TYPE,
} from "../tflite/tflite-schema.ts";
import { ATTENTION_MESH_REFINEMENT as R } from "./attention-mesh-refinement.ts";

/** Landmarks MediaPipe Tasks reads from output 0 of the landmarks model (a hard-coded count). */
export const FUSED_LANDMARK_COUNT = R.meshPoints + 2 * R.irisPoints;

const OUTPUT_NAMES = {
  mesh: "output_mesh_identity",
  lips: "output_lips",
  leftEye: "output_left_eye",
  rightEye: "output_right_eye",
  leftIris: "output_left_iris",
  rightIris: "output_right_iris",
  faceFlag: "conv_faceflag",
} as const;

/** Names of the fusion's key tensors, for tests and tools that inspect the built model. */
export const FUSION_TENSOR_NAMES = {
  landmarks: "lumen_fusion/landmarks",
  xyWeights: "lumen_fusion/xy_select_fp16",
  zWeights: "lumen_fusion/iris_z_mean_fp16",
} as const;

// Points whose x,y the refinement convolution reads, in channel order: the mesh, then lips and
// eyes. The mesh is first so that an output point no region refines reads its own mesh point.
const XY_SOURCES = R.meshPoints + R.lips.length + R.leftEye.length + R.rightEye.length;

function int32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer);
}

function float32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

function float16Bytes(values: ArrayLike<number>): Uint8Array {
  const halves = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) halves[i] = float32ToFloat16(values[i] ?? 0);
  return new Uint8Array(halves.buffer);
}

/**
 * The 0/1 matrix [468 out x 690 in] choosing, for every mesh point, the source of its x,y:
 * the mesh itself, or the lips/eye point that refines it (later regions win, as in MediaPipe).
 */
export function xySelection(): Float32Array {
  const sourceOf = Array.from({ length: R.meshPoints }, (_, point) => point);
  let offset = R.meshPoints;
  for (const region of [R.lips, R.leftEye, R.rightEye]) {
    region.forEach((point, k) => (sourceOf[point] = offset + k));
    offset += region.length;
  }
  const weights = new Float32Array(R.meshPoints * XY_SOURCES);
  sourceOf.forEach((source, point) => (weights[point * XY_SOURCES + source] = 1));
  return weights;
}

/** The matrix [10 out x 468 in] averaging the 16 eye-contour depths of each iris point. */
export function irisDepthMean(): Float32Array {
  const weights = new Float32Array(2 * R.irisPoints * R.meshPoints);
  const contours = [R.leftIrisDepth, R.rightIrisDepth];
  for (let iris = 0; iris < 2 * R.irisPoints; iris++) {
    const contour = contours[Math.floor(iris / R.irisPoints)] ?? [];
    for (const point of contour) weights[iris * R.meshPoints + point] = 1 / contour.length;
  }
  return weights;
}

function outputIndex(model: TfliteModelView, name: string, size: number): number {
  const subgraph = model.subgraphs[0];
  const index = subgraph?.outputs.find((output) => subgraph.tensors[output]?.name === name);
  const tensor = index === undefined ? undefined : subgraph?.tensors[index];
  if (index === undefined || !tensor) {
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      `Not the attention face-mesh model: it has no output "${name}"`,
    );
  }
  const elements = tensor.shape.reduce((a, b) => a * b, 1);
  if (elements !== size || tensor.type !== TENSOR_TYPE.FLOAT32) {
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      `Output "${name}" has shape [${tensor.shape.join(",")}] type ${tensor.type}, expected ${size} float32 values`,
    );
  }
  return index;
}

/**
 * The graph that fuses the attention face-mesh model's seven outputs into the two MediaPipe
 * Tasks expects: 478x3 landmarks (output 0, 1434 values) and the face-flag logit (output 1).
 *
 * Only operators the TFLite GPU delegate accepts are used (GATHER and FULLY_CONNECTED are
 * refused there): RESHAPE, SLICE, CONCATENATION, TRANSPOSE, and point selections as 1x1
 * CONV_2D on 4-D tensors whose channel axis holds the points, with float16 constant weights
 * behind DEQUANTIZE like the model's own weights. x,y and z are selected separately, and only
 * the 468 refined mesh points go through the x,y convolution (irises are concatenated, mesh
 * depths pass through), so the added weights stay near 650 KB.
 *
 * @example
 * ```ts
 * const fused = extendTfliteModel(bytes, attentionMeshFusion(readTfliteModel(bytes)));
 * ```
 */
export function attentionMeshFusion(model: TfliteModelView): TfliteModelExtension {
  const mesh = outputIndex(model, OUTPUT_NAMES.mesh, R.meshPoints * 3);
  const lips = outputIndex(model, OUTPUT_NAMES.lips, R.lips.length * 2);
  const leftEye = outputIndex(model, OUTPUT_NAMES.leftEye, R.leftEye.length * 2);
  const rightEye = outputIndex(model, OUTPUT_NAMES.rightEye, R.rightEye.length * 2);
  const leftIris = outputIndex(model, OUTPUT_NAMES.leftIris, R.irisPoints * 2);
  const rightIris = outputIndex(model, OUTPUT_NAMES.rightIris, R.irisPoints * 2);
  const faceFlag = outputIndex(model, OUTPUT_NAMES.faceFlag, 1);

  const base = model.subgraphs[0]?.tensors.length ?? 0;
  const tensors: TfliteTensorSpec[] = [];
  const operators: TfliteOperatorSpec[] = [];
  const tensor = (spec: TfliteTensorSpec): number => tensors.push(spec) - 1 + base;
  const float = (name: string, shape: readonly number[]): number =>
    tensor({ name: `lumen_fusion/${name}`, shape, type: TENSOR_TYPE.FLOAT32 });
  const ints = (name: string, values: readonly number[]): number =>
    tensor({
      name: `lumen_fusion/${name}`,
      shape: [values.length],
      type: TENSOR_TYPE.INT32,
      data: int32Bytes(values),
    });

  const reshape = (input: number, name: string, shape: readonly number[]): number => {
    const output = float(name, shape);
    operators.push({
      builtinCode: BUILTIN_OPERATOR.RESHAPE,
      inputs: [input, ints(`${name}_shape`, shape)],
      outputs: [output],
      options: {
        type: BUILTIN_OPTIONS.ReshapeOptions,
        write: (builder: Builder) => {
          builder.startVector(4, shape.length, 4);
          for (let i = shape.length - 1; i >= 0; i--) builder.addInt32(shape[i] ?? 0);
          const newShape = builder.endVector();
          builder.startObject(1);
          builder.addFieldOffset(0, newShape, 0);
          return builder.endObject();
        },
      },
    });
    return output;
  };
  const slice = (input: number, name: string, begin: number[], size: number[]): number => {
    const output = float(name, size);
    operators.push({
      builtinCode: BUILTIN_OPERATOR.SLICE,
      inputs: [input, ints(`${name}_begin`, begin), ints(`${name}_size`, size)],
      outputs: [output],
    });
    return output;
  };
  const concat = (inputs: number[], axis: number, name: string, shape: number[]): number => {
    const output = float(name, shape);
    operators.push({
      builtinCode: BUILTIN_OPERATOR.CONCATENATION,
      inputs,
      outputs: [output],
      options: {
        type: BUILTIN_OPTIONS.ConcatenationOptions,
        write: (builder: Builder) => {
          builder.startObject(2);
          builder.addFieldInt32(0, axis, 0);
          return builder.endObject();
        },
      },
    });
    return output;
  };
  // Swaps the last two axes: moves points between the width axis and the channel axis.
  const swapLastAxes = (input: number, name: string, shape: number[]): number => {
    const output = float(name, shape);
    operators.push({
      builtinCode: BUILTIN_OPERATOR.TRANSPOSE,
      inputs: [input, ints(`${name}_perm`, [0, 1, 3, 2])],
      outputs: [output],
    });
    return output;
  };
  // out[..., o] = sum_i weights[o][i] * in[..., i]: a point selection on the channel axis.
  const selectChannels = (
    input: number,
    name: string,
    weights: Float32Array,
    inChannels: number,
    shape: number[],
  ): number => {
    const outChannels = weights.length / inChannels;
    const half = tensor({
      name: `lumen_fusion/${name}_fp16`,
      shape: [outChannels, 1, 1, inChannels],
      type: TENSOR_TYPE.FLOAT16,
      data: float16Bytes(weights),
    });
    const filter = float(`${name}_weights`, [outChannels, 1, 1, inChannels]);
    operators.push({
      builtinCode: BUILTIN_OPERATOR.DEQUANTIZE,
      version: 2,
      inputs: [half],
      outputs: [filter],
    });
    const bias = tensor({
      name: `lumen_fusion/${name}_bias`,
      shape: [outChannels],
      type: TENSOR_TYPE.FLOAT32,
      data: float32Bytes(new Float32Array(outChannels)),
    });
    const output = float(name, shape);
    operators.push({
      builtinCode: BUILTIN_OPERATOR.CONV_2D,
      inputs: [input, filter, bias],
      outputs: [output],
      options: {
        type: BUILTIN_OPTIONS.Conv2DOptions,
        write: (builder: Builder) => {
          builder.startObject(6);
          builder.addFieldInt8(0, PADDING.VALID, 0);
          builder.addFieldInt32(1, 1, 0);
          builder.addFieldInt32(2, 1, 0);
          builder.addFieldInt32(4, 1, 1);
          builder.addFieldInt32(5, 1, 1);
          return builder.endObject();
        },
      },
    });
    return output;
  };

  const points = (input: number, name: string, count: number, dims: number): number =>
    reshape(input, name, [1, 1, count, dims]);
  const meshPoints = points(mesh, "mesh_points", R.meshPoints, 3);
  const meshXy = slice(meshPoints, "mesh_xy", [0, 0, 0, 0], [1, 1, R.meshPoints, 2]);
  const meshZ = slice(meshPoints, "mesh_z", [0, 0, 0, 2], [1, 1, R.meshPoints, 1]);

  const xySources = concat(
    [
      meshXy,
      points(lips, "lips_points", R.lips.length, 2),
      points(leftEye, "left_eye_points", R.leftEye.length, 2),
      points(rightEye, "right_eye_points", R.rightEye.length, 2),
    ],
    2,
    "xy_sources",
    [1, 1, XY_SOURCES, 2],
  );
  const xySourceChannels = swapLastAxes(xySources, "xy_sources_by_channel", [1, 1, 2, XY_SOURCES]);
  const refinedXy = selectChannels(xySourceChannels, "xy_select", xySelection(), XY_SOURCES, [
    1,
    1,
    2,
    R.meshPoints,
  ]);
  const irisXy = concat(
    [
      points(leftIris, "left_iris_points", R.irisPoints, 2),
      points(rightIris, "right_iris_points", R.irisPoints, 2),
    ],
    2,
    "iris_xy",
    [1, 1, 2 * R.irisPoints, 2],
  );
  const irisXyChannels = swapLastAxes(irisXy, "iris_xy_by_channel", [1, 1, 2, 2 * R.irisPoints]);
  const allXy = concat([refinedXy, irisXyChannels], 3, "xy", [1, 1, 2, FUSED_LANDMARK_COUNT]);

  const meshZChannels = reshape(meshZ, "mesh_z_by_channel", [1, 1, 1, R.meshPoints]);
  const irisZ = selectChannels(meshZChannels, "iris_z_mean", irisDepthMean(), R.meshPoints, [
    1,
    1,
    1,
    2 * R.irisPoints,
  ]);
  const allZ = concat([meshZChannels, irisZ], 3, "z", [1, 1, 1, FUSED_LANDMARK_COUNT]);

  const xyz = concat([allXy, allZ], 2, "xyz_by_channel", [1, 1, 3, FUSED_LANDMARK_COUNT]);
  const xyzPoints = swapLastAxes(xyz, "xyz_points", [1, 1, FUSED_LANDMARK_COUNT, 3]);
  const landmarks = reshape(xyzPoints, "landmarks", [1, 1, 1, FUSED_LANDMARK_COUNT * 3]);

  return { tensors, operators, outputs: [landmarks, faceFlag] };
}
