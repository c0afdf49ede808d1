import * as tf from "@tensorflow/tfjs";
import type { TfjsWeightsFiles } from "../../src/tfjs/read-tfjs-weights.ts";

// Transcribed from @vladmandic/face-api@1.7.15 src/faceRecognitionNet/ (FaceRecognitionNet.ts,
// residualLayer.ts, convLayer.ts, scaleLayer.ts) and src/ops/normalize.ts, not from the
// converter, so a mistake there cannot cancel out here: NHWC, the affine layer applied after
// each convolution as face-api does (not folded), zeros concatenated where face-api
// concatenates them, and the weights decoded by TF.js's own `tf.io.decodeWeights`. The one
// parameter is the input divisor: face-api 1.7.15 divides by 255, dlib (and earlier face-api
// releases) by 256.

type Weights = tf.NamedTensorMap;

function weight(weights: Weights, name: string): tf.Tensor {
  const found = weights[name];
  if (!found) throw new Error(`face-api weight ${name} is missing`);
  return found;
}

function convLayer(
  x: tf.Tensor4D,
  weights: Weights,
  prefix: string,
  strides: 1 | 2,
  withRelu: boolean,
  padding: "same" | "valid",
): tf.Tensor4D {
  let out = tf.conv2d(
    x,
    weight(weights, `${prefix}/conv/filters`) as tf.Tensor4D,
    strides,
    padding,
  );
  out = tf.add(out, weight(weights, `${prefix}/conv/bias`));
  out = tf.add(
    tf.mul(out, weight(weights, `${prefix}/scale/weights`)),
    weight(weights, `${prefix}/scale/biases`),
  );
  return withRelu ? tf.relu(out) : out;
}

const conv = (x: tf.Tensor4D, w: Weights, p: string) => convLayer(x, w, p, 1, true, "same");
const convNoRelu = (x: tf.Tensor4D, w: Weights, p: string) => convLayer(x, w, p, 1, false, "same");
const convDown = (x: tf.Tensor4D, w: Weights, p: string) => convLayer(x, w, p, 2, true, "valid");

function residual(x: tf.Tensor4D, weights: Weights, name: string): tf.Tensor4D {
  let out = conv(x, weights, `${name}/conv1`);
  out = convNoRelu(out, weights, `${name}/conv2`);
  return tf.relu(tf.add<tf.Tensor4D>(out, x));
}

function residualDown(x: tf.Tensor4D, weights: Weights, name: string): tf.Tensor4D {
  let out = convDown(x, weights, `${name}/conv1`);
  out = convNoRelu(out, weights, `${name}/conv2`);
  let pooled = tf.avgPool(x, 2, 2, "valid");
  const zeros = tf.zeros<tf.Rank.R4>(pooled.shape);
  const isPad = pooled.shape[3] !== out.shape[3];
  const isAdjustShape = pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2];
  if (isAdjustShape) {
    const padShapeX = [...out.shape] as [number, number, number, number];
    padShapeX[1] = 1;
    out = tf.concat([out, tf.zeros<tf.Rank.R4>(padShapeX)], 1);
    const padShapeY = [...out.shape] as [number, number, number, number];
    padShapeY[2] = 1;
    out = tf.concat([out, tf.zeros<tf.Rank.R4>(padShapeY)], 2);
  }
  pooled = isPad ? tf.concat([pooled, zeros], 3) : pooled;
  return tf.relu(tf.add<tf.Tensor4D>(pooled, out));
}

function normalize(x: tf.Tensor4D, [r, g, b]: readonly number[]): tf.Tensor4D {
  const shape = [...x.shape.slice(0, 3), 1];
  const avg = tf.concat(
    [r, g, b].map((value) => tf.fill(shape, value ?? NaN, "float32")),
    3,
  );
  return tf.sub(x, avg);
}

function forward(input: tf.Tensor4D, weights: Weights, divisor: number): tf.Tensor2D {
  const meanRgb = [122.782, 117.001, 104.298];
  const normalized = normalize(input, meanRgb).div<tf.Tensor4D>(divisor);
  let out = convDown(normalized, weights, "conv32_down");
  out = tf.maxPool(out, 3, 2, "valid");
  out = residual(out, weights, "conv32_1");
  out = residual(out, weights, "conv32_2");
  out = residual(out, weights, "conv32_3");
  out = residualDown(out, weights, "conv64_down");
  out = residual(out, weights, "conv64_1");
  out = residual(out, weights, "conv64_2");
  out = residual(out, weights, "conv64_3");
  out = residualDown(out, weights, "conv128_down");
  out = residual(out, weights, "conv128_1");
  out = residual(out, weights, "conv128_2");
  out = residualDown(out, weights, "conv256_down");
  out = residual(out, weights, "conv256_1");
  out = residual(out, weights, "conv256_2");
  out = residualDown(out, weights, "conv256_down_out");
  const globalAvg = out.mean<tf.Tensor2D>([1, 2]);
  return tf.matMul(globalAvg, weight(weights, "fc"));
}

/**
 * face-api's face descriptor of NHWC `[N,150,150,3]` RGB 0..255 images, `[N,128]` flat, with the
 * input divided by `divisor` after the mean is taken off (face-api 1.7.15: 255; dlib: 256).
 */
export type FaceApiReference = (nhwc: Float32Array, batch: number, divisor: number) => Float32Array;

/**
 * face-api's `FaceRecognitionNet` on TF.js's pure-JS CPU backend, with the weights of the given
 * manifest and files as TF.js itself loads them.
 */
export async function createFaceApiReference(files: TfjsWeightsFiles): Promise<FaceApiReference> {
  await tf.setBackend("cpu");
  const groups = JSON.parse(
    new TextDecoder().decode(files.manifest),
  ) as tf.io.WeightsManifestConfig;
  const weights: Weights = {};
  for (const group of groups) {
    const buffers = group.paths.map((path) => {
      const bytes = files.shards[path];
      if (!bytes) throw new Error(`no weights file ${path}`);
      return bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer;
    });
    Object.assign(weights, tf.io.decodeWeights(buffers, group.weights));
  }
  return (nhwc, batch, divisor) =>
    tf.tidy(
      () =>
        forward(
          tf.tensor4d(nhwc, [batch, 150, 150, 3]),
          weights,
          divisor,
        ).dataSync() as Float32Array,
    );
}
