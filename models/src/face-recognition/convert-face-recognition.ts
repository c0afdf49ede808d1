import { encodeOnnxModel } from "../onnx/encode-onnx-model.ts";
import { OnnxGraphBuilder } from "../onnx/onnx-graph-builder.ts";
import { permuteTensor } from "../tflite-onnx/permute-tensor.ts";
import { tfPadding } from "../tflite-onnx/tf-padding.ts";
import { readTfjsWeights, type TfjsWeightsFiles } from "../tfjs/read-tfjs-weights.ts";
import { FACE_RECOGNITION_ARCHITECTURE } from "./face-recognition-architecture.ts";
import {
  readFaceRecognitionWeights,
  type FaceRecognitionBlock,
  type FaceRecognitionConv,
} from "./read-face-recognition-weights.ts";

// Bump when the converter's output changes on purpose, so the pinned hashes change with a reason.
const CONVERTER_VERSION = "1";

// TensorFlow's padding modes in `tfPadding`'s (TFLite's) numbering.
const TF_SAME = 0;
const TF_VALID = 1;

/** A value of the graph with its static NCHW geometry (square maps, batch left open). */
interface Feature {
  readonly name: string;
  readonly size: number;
  readonly channels: number;
}

interface ConvStep {
  readonly name: string;
  readonly stride: number;
  readonly padding: typeof TF_SAME | typeof TF_VALID;
  readonly relu: boolean;
}

// dlib's affine layer folded into the convolution: (conv(x, W) + b) * s + t equals
// conv(x, W * s) + (b * s + t) per output channel; each folded value is rounded to float32 once.
function foldAffine(conv: FaceRecognitionConv): { kernel: Float32Array; bias: Float32Array } {
  const { kernelShape, scale, offset } = conv;
  const [kh, kw, inputs, filters] = kernelShape;
  // TF.js kernels are [kh, kw, in, out]; ONNX Conv wants [out, in, kh, kw].
  const kernel = permuteTensor(conv.kernel, kernelShape, [3, 2, 0, 1]);
  const perFilter = inputs * kh * kw;
  const bias = new Float32Array(filters);
  for (let o = 0; o < filters; o++) {
    const s = scale[o] ?? NaN;
    for (let i = o * perFilter; i < (o + 1) * perFilter; i++) kernel[i] = (kernel[i] ?? NaN) * s;
    bias[o] = (conv.bias[o] ?? NaN) * s + (offset[o] ?? NaN);
  }
  return { kernel, bias };
}

/**
 * Converts dlib's face recognition ResNet as shipped in TF.js format by
 * `@vladmandic/face-api@1.7.15` (`model/face_recognition_model-weights_manifest.json` and
 * `model/face_recognition_model.bin`) into an ONNX model (opset 17), deterministically: the
 * same files always give the same bytes.
 *
 * The model takes `input [N,3,150,150]` float32, NCHW, RGB values 0..255 of a 150x150 face
 * chip, and returns `embedding [N,128]`, the face descriptor (not L2-normalised; dlib and
 * face-api compare descriptors by Euclidean distance). dlib's input normalisation
 * (`(rgb - [122.782, 117.001, 104.298]) / 256`) is the graph's first two nodes. dlib's affine
 * layer after each convolution is folded into the convolution's weights and bias.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the files are not a TF.js weights manifest
 *   and its weights, or not this network's weights.
 * @example
 * ```ts
 * const onnx = convertFaceRecognitionToOnnx({
 *   manifest: await readFile("face_recognition_model-weights_manifest.json"),
 *   shards: { "face_recognition_model.bin": await readFile("face_recognition_model.bin") },
 * });
 * const session = await InferenceSession.create(onnx);
 * const { embedding } = await session.run({ input: new Tensor("float32", rgb, [1, 3, 150, 150]) });
 * ```
 */
export function convertFaceRecognitionToOnnx(files: TfjsWeightsFiles): Uint8Array {
  const weights = readFaceRecognitionWeights(readTfjsWeights(files));
  const { inputSize, inputChannels, meanRgb, inputDivisor, stem, stemPool, embeddingSize } =
    FACE_RECOGNITION_ARCHITECTURE;
  const graph = new OnnxGraphBuilder("dlib_face_recognition_resnet");
  const constant = (name: string, dims: readonly number[], data: Float32Array): string =>
    graph.addInitializer({ name, dataType: "float32", dims, data });
  const pads = (name: string, values: readonly number[]): string =>
    graph.addInitializer({
      name,
      dataType: "int64",
      dims: [values.length],
      data: BigInt64Array.from(values, (v) => BigInt(v)),
    });

  const convolve = (x: Feature, conv: FaceRecognitionConv, step: ConvStep): Feature => {
    const [kernel, , , filters] = conv.kernelShape;
    const folded = foldAffine(conv);
    const { name, stride, padding } = step;
    const out = graph.addNode(
      "Conv",
      [
        x.name,
        constant(`${name}.weight`, [filters, x.channels, kernel, kernel], folded.kernel),
        constant(`${name}.bias`, [filters], folded.bias),
      ],
      {
        name,
        attributes: {
          kernel_shape: { type: "ints", value: [kernel, kernel] },
          pads: {
            type: "ints",
            value: tfPadding({
              padding,
              inputHeight: x.size,
              inputWidth: x.size,
              kernelHeight: kernel,
              kernelWidth: kernel,
              strideHeight: stride,
              strideWidth: stride,
              dilationHeight: 1,
              dilationWidth: 1,
            }),
          },
          strides: { type: "ints", value: [stride, stride] },
        },
      },
    );
    const size =
      padding === TF_SAME ? Math.ceil(x.size / stride) : Math.floor((x.size - kernel) / stride) + 1;
    return {
      name: step.relu ? graph.addNode("Relu", [out], { name: `${name}.relu` }) : out,
      size,
      channels: filters,
    };
  };

  const residual = (x: Feature, block: FaceRecognitionBlock): Feature => {
    const { name, down } = block;
    const first = convolve(x, block.conv1, {
      name: `${name}.conv1`,
      stride: down ? 2 : 1,
      padding: down ? TF_VALID : TF_SAME,
      relu: true,
    });
    let branch = convolve(first, block.conv2, {
      name: `${name}.conv2`,
      stride: 1,
      padding: TF_SAME,
      relu: false,
    });
    let shortcut = x;
    if (down) {
      // face-api's residualDown: the shortcut is a 2x2 average pool, widened with zero channels.
      const pooledSize = Math.floor((x.size - 2) / 2) + 1;
      const pooled = graph.addNode("AveragePool", [x.name], {
        name: `${name}.pool`,
        attributes: {
          kernel_shape: { type: "ints", value: [2, 2] },
          strides: { type: "ints", value: [2, 2] },
        },
      });
      shortcut = { name: pooled, size: pooledSize, channels: x.channels };
      const extraChannels = branch.channels - x.channels;
      if (extraChannels > 0) {
        const padded = graph.addNode(
          "Pad",
          [pooled, pads(`${name}.pool.pads`, [0, 0, 0, 0, 0, extraChannels, 0, 0])],
          { name: `${name}.pool.pad` },
        );
        shortcut = { name: padded, size: pooledSize, channels: branch.channels };
      }
      // Where the VALID convolution lost a pixel against the pool, face-api concatenates one
      // zero row below and one zero column to the right of the convolution branch.
      if (branch.size !== pooledSize) {
        if (branch.size + 1 !== pooledSize) {
          throw new RangeError(`${name}: branch ${branch.size} and shortcut ${pooledSize} differ`);
        }
        const padded = graph.addNode(
          "Pad",
          [branch.name, pads(`${name}.conv2.pads`, [0, 0, 0, 0, 0, 0, 1, 1])],
          { name: `${name}.conv2.pad` },
        );
        branch = { ...branch, name: padded, size: pooledSize };
      }
    }
    const sum = graph.addNode("Add", [shortcut.name, branch.name], { name: `${name}.add` });
    return { ...branch, name: graph.addNode("Relu", [sum], { name: `${name}.relu` }) };
  };

  const input = graph.addInput("input", "float32", ["N", inputChannels, inputSize, inputSize]);
  const centred = graph.addNode(
    "Sub",
    [input, constant("mean_rgb", [1, inputChannels, 1, 1], Float32Array.from(meanRgb))],
    { name: "normalise.sub" },
  );
  const scaled = graph.addNode(
    "Div",
    [centred, constant("input_divisor", [], Float32Array.of(inputDivisor))],
    { name: "normalise.div" },
  );
  let x = convolve({ name: scaled, size: inputSize, channels: inputChannels }, weights.stem, {
    name: stem.name,
    stride: stem.stride,
    padding: TF_VALID,
    relu: true,
  });
  x = {
    ...x,
    name: graph.addNode("MaxPool", [x.name], {
      name: `${stem.name}.pool`,
      attributes: {
        kernel_shape: { type: "ints", value: [stemPool.kernel, stemPool.kernel] },
        strides: { type: "ints", value: [stemPool.stride, stemPool.stride] },
      },
    }),
    size: Math.floor((x.size - stemPool.kernel) / stemPool.stride) + 1,
  };
  for (const block of weights.blocks) x = residual(x, block);

  const pooled = graph.addNode("ReduceMean", [x.name], {
    name: "global_mean",
    attributes: {
      axes: { type: "ints", value: [2, 3] },
      keepdims: { type: "int", value: 0 },
    },
  });
  const { fc } = weights;
  graph.addNode("MatMul", [pooled, constant("fc.weight", [fc.inputs, fc.units], fc.kernel)], {
    name: "fc",
    outputs: ["embedding"],
  });
  graph.addOutput("embedding", "float32", ["N", embeddingSize]);

  return encodeOnnxModel({
    irVersion: 8,
    opsetVersion: 17,
    producerName: "@lumen/models",
    producerVersion: CONVERTER_VERSION,
    docString:
      "dlib face recognition ResNet-29 (dlib_face_recognition_resnet_model_v1 by Davis King, public domain; TF.js weights of @vladmandic/face-api@1.7.15, MIT) converted from TF.js. input [N,3,150,150] RGB 0..255 of a face chip; embedding [N,128], compared by Euclidean distance.",
    graph: graph.build(),
  });
}
