import * as tf from "@tensorflow/tfjs";
import type { TorchStateDict } from "../../src/torch/torch-tensor.ts";

// Written from upstream src/model_lib/MiniFASNet.py (minivision-ai/Silent-Face-Anti-Spoofing),
// not from the converter or its layout table, so a mistake there (channel indexing, strides,
// padding, BN folding, where the SE module sits) cannot cancel out: TF.js runs every module
// as the Python forward() does, unfolded, in NHWC, with the state_dict's tensors as saved.
// Channel counts come from the tensors themselves; only the module structure is written here.

type Variant = "MiniFASNetV2" | "MiniFASNetV1SE";

interface Options {
  readonly stride: number;
  readonly padding: number;
  readonly depthwise: boolean;
}

function createWeights(stateDict: TorchStateDict): (name: string) => tf.Tensor {
  const prefix = [...stateDict.keys()][0]?.startsWith("module.") ? "module." : "";
  return (name) => {
    const found = stateDict.get(prefix + name);
    if (found?.dtype !== "float32") throw new Error(`no float tensor ${name}`);
    return tf.tensor(found.data, [...found.shape], "float32");
  };
}

/** A TF.js (CPU) MiniFASNet with a state_dict; input NHWC `[N,80,80,3]` BGR 0..255. */
export async function createTorchReference(
  stateDict: TorchStateDict,
  variant: Variant,
): Promise<(nhwc: Float32Array, batch: number) => Float32Array> {
  await tf.setBackend("cpu");
  const w = createWeights(stateDict);

  // BatchNorm2d / BatchNorm1d in eval mode, eps 1e-5, over the last (channel) axis.
  const bn = (x: tf.Tensor, name: string): tf.Tensor =>
    tf.batchNorm(
      x,
      w(`${name}.running_mean`),
      w(`${name}.running_var`),
      w(`${name}.bias`),
      w(`${name}.weight`),
      1e-5,
    );

  // Conv2d(bias=False) with PyTorch's symmetric zero padding; groups == channels is depthwise.
  const conv = (x: tf.Tensor4D, name: string, { stride, padding, depthwise }: Options) => {
    const weight = w(`${name}.weight`); // [out, in/groups, kh, kw]
    const padded = tf.pad(x, [
      [0, 0],
      [padding, padding],
      [padding, padding],
      [0, 0],
    ]);
    if (depthwise) {
      // [C, 1, kh, kw] → [kh, kw, C, 1]
      const filter = tf.transpose(weight, [2, 3, 0, 1]) as tf.Tensor4D;
      return tf.depthwiseConv2d(padded, filter, stride, "valid");
    }
    const filter = tf.transpose(weight, [2, 3, 1, 0]) as tf.Tensor4D; // [kh, kw, in, out]
    return tf.conv2d(padded, filter, stride, "valid");
  };

  const convBlock = (x: tf.Tensor4D, name: string, options: Options): tf.Tensor4D => {
    const y = bn(conv(x, `${name}.conv`, options), `${name}.bn`);
    return tf.prelu(y, w(`${name}.prelu.weight`)) as tf.Tensor4D;
  };
  const linearBlock = (x: tf.Tensor4D, name: string, options: Options): tf.Tensor4D =>
    bn(conv(x, `${name}.conv`, options), `${name}.bn`) as tf.Tensor4D;

  const pointwise = { stride: 1, padding: 0, depthwise: false };
  const seModule = (x: tf.Tensor4D, name: string): tf.Tensor4D => {
    let s = tf.mean<tf.Tensor4D>(x, [1, 2], true);
    s = bn(conv(s, `${name}.fc1`, pointwise), `${name}.bn1`) as tf.Tensor4D;
    s = tf.relu(s);
    s = bn(conv(s, `${name}.fc2`, pointwise), `${name}.bn2`) as tf.Tensor4D;
    return tf.mul(x, tf.sigmoid(s));
  };

  const depthWise = (
    x: tf.Tensor4D,
    name: string,
    stride: number,
    residual: boolean,
    se: boolean,
  ): tf.Tensor4D => {
    let y = convBlock(x, `${name}.conv`, pointwise);
    y = convBlock(y, `${name}.conv_dw`, { stride, padding: 1, depthwise: true });
    y = linearBlock(y, `${name}.project`, pointwise);
    if (!residual) return y;
    if (se) y = seModule(y, `${name}.se_module`);
    return tf.add(x, y);
  };

  // Residual / ResidualSE: in MiniFASNetSE the last block of each is Depth_Wise_SE.
  const residual = (x: tf.Tensor4D, name: string, blocks: number): tf.Tensor4D => {
    let y = x;
    for (let i = 0; i < blocks; i++) {
      const se = variant === "MiniFASNetV1SE" && i === blocks - 1;
      y = depthWise(y, `${name}.model.${i}`, 1, true, se);
    }
    return y;
  };

  const forward = (input: tf.Tensor4D): tf.Tensor => {
    let out = convBlock(input, "conv1", { stride: 2, padding: 1, depthwise: false });
    out = convBlock(out, "conv2_dw", { stride: 1, padding: 1, depthwise: true });
    out = depthWise(out, "conv_23", 2, false, false);
    out = residual(out, "conv_3", 4);
    out = depthWise(out, "conv_34", 2, false, false);
    out = residual(out, "conv_4", 6);
    out = depthWise(out, "conv_45", 2, false, false);
    out = residual(out, "conv_5", 2);
    out = convBlock(out, "conv_6_sep", pointwise);
    out = linearBlock(out, "conv_6_dw", { stride: 1, padding: 0, depthwise: true });
    // Flatten as PyTorch does, over (C, H, W).
    const batch = out.shape[0];
    const flat = tf.reshape(tf.transpose(out, [0, 3, 1, 2]), [batch, -1]);
    const embedding = bn(tf.matMul(flat, w("linear.weight"), false, true), "bn");
    return tf.matMul(embedding, w("prob.weight"), false, true);
  };

  return (nhwc, batch) =>
    tf.tidy(() => forward(tf.tensor4d(nhwc, [batch, 80, 80, 3])).dataSync() as Float32Array);
}
