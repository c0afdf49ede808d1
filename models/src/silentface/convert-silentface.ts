import { encodeOnnxModel } from "../onnx/encode-onnx-model.ts";
import { OnnxGraphBuilder } from "../onnx/onnx-graph-builder.ts";
import { readLegacyTorchStateDict } from "../torch/read-legacy-torch-state-dict.ts";
import {
  MINIFASNET_ARCHITECTURE,
  type MiniFasNetConv,
  type MiniFasNetDepthWise,
  type MiniFasNetSe,
  type MiniFasNetVariant,
} from "./minifasnet-architecture.ts";
import { readMiniFasNetWeights } from "./read-minifasnet-weights.ts";

// Bump when the converter's output changes on purpose, so the pinned hashes change with a reason.
const CONVERTER_VERSION = "1";

interface Folded {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

// An eval-mode BatchNorm right after a bias-free conv (or Linear) is a per-output-channel
// affine map, so it folds exactly: W' = W * s, b' = beta - mean * s, s = gamma / sqrt(var + eps).
// Computed in float64 and rounded to float32 once.
function foldBatchNorm(
  weight: Float32Array,
  outputs: number,
  bn: (part: string) => Float32Array,
): Folded {
  const [gamma, beta, mean, variance] = ["weight", "bias", "running_mean", "running_var"].map(bn);
  const perOutput = weight.length / outputs;
  const folded = new Float32Array(weight.length);
  const bias = new Float32Array(outputs);
  for (let o = 0; o < outputs; o++) {
    const s =
      (gamma?.[o] ?? NaN) /
      Math.sqrt((variance?.[o] ?? NaN) + MINIFASNET_ARCHITECTURE.batchNormEpsilon);
    for (let i = o * perOutput; i < (o + 1) * perOutput; i++) folded[i] = (weight[i] ?? NaN) * s;
    bias[o] = (beta?.[o] ?? NaN) - (mean?.[o] ?? NaN) * s;
  }
  return { weight: folded, bias };
}

/**
 * Converts one of Silent-Face-Anti-Spoofing's own models (minivision-ai @b6d5f04,
 * `resources/anti_spoof_models/2.7_80x80_MiniFASNetV2.pth` or
 * `4_0_0_80x80_MiniFASNetV1SE.pth`, legacy `torch.save` state_dicts) into an ONNX model
 * (opset 17), deterministically: the same file always gives the same bytes.
 *
 * The model takes `input [N,3,80,80]` float32, NCHW, **BGR** channel order, raw values 0..255
 * (upstream feeds OpenCV's BGR crop through a `to_tensor` that does not scale), and returns
 * `output [N,3]`, the raw logits (upstream applies softmax; class 1 is "real"). Every
 * BatchNorm is folded into the conv or Linear before it; PReLU, the SE modules and the
 * residual additions stay nodes; dropout is left out (identity at inference).
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the bytes are not a legacy PyTorch
 *   state_dict, or not this variant's weights.
 * @example
 * ```ts
 * const onnx = convertSilentFaceToOnnx(await readFile("2.7_80x80_MiniFASNetV2.pth"), "MiniFASNetV2");
 * const session = await InferenceSession.create(onnx);
 * const { output } = await session.run({ input: new Tensor("float32", bgr, [1, 3, 80, 80]) });
 * ```
 */
export function convertSilentFaceToOnnx(pth: Uint8Array, variant: MiniFasNetVariant): Uint8Array {
  const { layout, tensors } = readMiniFasNetWeights(readLegacyTorchStateDict(pth), variant);
  const { inputSize, inputChannels, numClasses } = MINIFASNET_ARCHITECTURE;
  const graph = new OnnxGraphBuilder(variant);
  const tensor = (name: string): Float32Array => {
    const found = tensors.get(name);
    if (!found) throw new RangeError(`${name} was not read`);
    return found;
  };
  const constant = (name: string, dims: readonly number[], data: Float32Array): string =>
    graph.addInitializer({ name, dataType: "float32", dims, data });

  // A bias-free conv with the BatchNorm `bnName` folded in.
  const foldedConv = (
    x: string,
    name: string,
    bnName: string,
    shape: { outputs: number; inputs: number; kernel: number; stride: number; padding: number },
    groups: number,
  ): string => {
    const { outputs, inputs, kernel, stride, padding } = shape;
    const folded = foldBatchNorm(tensor(`${name}.weight`), outputs, (part) =>
      tensor(`${bnName}.${part}`),
    );
    return graph.addNode(
      "Conv",
      [
        x,
        constant(`${name}.weight`, [outputs, inputs / groups, kernel, kernel], folded.weight),
        constant(`${name}.bias`, [outputs], folded.bias),
      ],
      {
        name,
        attributes: {
          kernel_shape: { type: "ints", value: [kernel, kernel] },
          pads: { type: "ints", value: [padding, padding, padding, padding] },
          strides: { type: "ints", value: [stride, stride] },
          group: { type: "int", value: groups },
        },
      },
    );
  };

  const convBlock = (x: string, conv: MiniFasNetConv): string => {
    const y = foldedConv(x, `${conv.name}.conv`, `${conv.name}.bn`, conv, conv.groups);
    if (!conv.prelu) return y;
    const slope = `${conv.name}.prelu.weight`;
    return graph.addNode("PRelu", [y, constant(slope, [conv.outputs, 1, 1], tensor(slope))], {
      name: `${conv.name}.prelu`,
    });
  };

  const squeezeExcite = (x: string, se: MiniFasNetSe): string => {
    const { name, channels, reduced } = se;
    const pooled = graph.addNode("GlobalAveragePool", [x], { name: `${name}.avg_pool` });
    const squeeze = { kernel: 1, stride: 1, padding: 0 };
    const fc1 = foldedConv(
      pooled,
      `${name}.fc1`,
      `${name}.bn1`,
      { ...squeeze, outputs: reduced, inputs: channels },
      1,
    );
    const relu = graph.addNode("Relu", [fc1], { name: `${name}.relu` });
    const fc2 = foldedConv(
      relu,
      `${name}.fc2`,
      `${name}.bn2`,
      { ...squeeze, outputs: channels, inputs: reduced },
      1,
    );
    const gate = graph.addNode("Sigmoid", [fc2], { name: `${name}.sigmoid` });
    return graph.addNode("Mul", [x, gate], { name: `${name}.mul` });
  };

  const depthWise = (x: string, block: MiniFasNetDepthWise): string => {
    let y = convBlock(x, block.conv);
    y = convBlock(y, block.convDw);
    y = convBlock(y, block.project);
    if (!block.residual) return y;
    if (block.se) y = squeezeExcite(y, block.se);
    return graph.addNode("Add", [x, y], { name: `${block.name}.add` });
  };

  let x = graph.addInput("input", "float32", ["N", inputChannels, inputSize, inputSize]);
  for (const conv of layout.stem) x = convBlock(x, conv);
  for (const block of layout.blocks) x = depthWise(x, block);
  x = convBlock(x, layout.convSep);
  x = convBlock(x, layout.convDw);
  x = graph.addNode("Flatten", [x], {
    name: "conv_6_flatten",
    attributes: { axis: { type: "int", value: 1 } },
  });
  const { linear, bn, prob } = layout;
  const embedding = foldBatchNorm(tensor(`${linear.name}.weight`), linear.outputs, (part) =>
    tensor(`${bn.name}.${part}`),
  );
  x = graph.addNode(
    "Gemm",
    [
      x,
      constant("linear.weight", [linear.outputs, linear.inputs], embedding.weight),
      constant("linear.bias", [linear.outputs], embedding.bias),
    ],
    { name: "linear", attributes: { transB: { type: "int", value: 1 } } },
  );
  graph.addNode(
    "Gemm",
    [x, constant("prob.weight", [prob.outputs, prob.inputs], tensor("prob.weight"))],
    { name: "prob", outputs: ["output"], attributes: { transB: { type: "int", value: 1 } } },
  );
  graph.addOutput("output", "float32", ["N", numClasses]);

  return encodeOnnxModel({
    irVersion: 8,
    opsetVersion: 17,
    producerName: "@lumen/models",
    producerVersion: CONVERTER_VERSION,
    docString: `Silent-Face-Anti-Spoofing ${variant} (minivision-ai, Apache-2.0) converted from its PyTorch state_dict. input [N,3,80,80] BGR 0..255; output [N,3] logits, softmax class 1 = real.`,
    graph: graph.build(),
  });
}
