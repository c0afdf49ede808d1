import { describe, expect, it } from "vitest";
import type { FixtureModel, FixtureOption, FixtureTensor } from "./build-tflite-fixture.ts";
import {
  conv2d,
  depthwiseConv2d,
  map,
  maxPool2d,
  pad,
  type Nhwc,
  type Window,
} from "./nhwc-reference.ts";
import { runConverted } from "./run-converted.ts";
import { maxAbsDiff } from "../helpers/max-abs-diff.ts";
import { seededUniform } from "../helpers/seeded-uniform.ts";

// Each TFLite op the converter maps, alone (or nearly) in a synthetic graph, converted and run
// in onnxruntime-node against a direct NHWC computation. Odd sizes make SAME padding
// asymmetric, which is where NHWC/NCHW and TF/ONNX padding conventions part ways.

const ADD = 0;
const CONCATENATION = 2;
const CONV_2D = 3;
const DEPTHWISE_CONV_2D = 4;
const DEQUANTIZE = 6;
const MAX_POOL_2D = 17;
const RELU = 19;
const RESHAPE = 22;
const PAD = 34;
const PRELU = 54;
const SAME = 0;
const VALID = 1;
const TOLERANCE = 1e-5;

function image(h: number, w: number, c: number, seed = 1): Nhwc {
  return { h, w, c, data: seededUniform(seed, h * w * c, -1, 1) };
}

function activation(name: string, shape: readonly number[]): FixtureTensor {
  return { name, shape };
}

function single(
  x: Nhwc,
  code: number,
  constants: readonly FixtureTensor[],
  outShape: readonly number[],
  options?: readonly FixtureOption[],
): FixtureModel {
  const inputs = [0, ...constants.map((_, i) => i + 1)];
  return {
    tensors: [activation("input", [1, x.h, x.w, x.c]), ...constants, activation("out", outShape)],
    operators: [{ code, inputs, outputs: [constants.length + 1], ...(options ? { options } : {}) }],
    inputs: [0],
    outputs: [constants.length + 1],
  };
}

function convOptions(win: Window, fused = 0): FixtureOption[] {
  return [
    [0, "byte", win.same ? SAME : VALID],
    [1, "int", win.stride[1]],
    [2, "int", win.stride[0]],
    [3, "byte", fused],
    [4, "int", win.dilation?.[1] ?? 1],
    [5, "int", win.dilation?.[0] ?? 1],
  ];
}

describe("CONV_2D", () => {
  const cases: {
    title: string;
    x: Nhwc;
    out: number;
    win: Window;
    fused: number;
    post: (v: number) => number;
  }[] = [
    {
      title: "SAME, stride 2, odd 7x5 input, fused RELU6",
      x: image(7, 5, 3),
      out: 4,
      win: { kh: 3, kw: 3, stride: [2, 2], same: true },
      fused: 3,
      post: (v) => Math.min(Math.max(v, 0), 6),
    },
    {
      title: "SAME, stride 2, even 6x6 input (padding only after), 5x5 kernel, fused RELU",
      x: image(6, 6, 2, 2),
      out: 3,
      win: { kh: 5, kw: 5, stride: [2, 2], same: true },
      fused: 1,
      post: (v) => Math.max(v, 0),
    },
    {
      title: "VALID, dilation 2, non-square kernel and strides",
      x: image(9, 8, 2, 3),
      out: 2,
      win: { kh: 3, kw: 2, stride: [1, 2], dilation: [2, 2], same: false },
      fused: 0,
      post: (v) => v,
    },
    {
      title: "SAME 1x1 with fused TANH",
      x: image(3, 4, 5, 4),
      out: 6,
      win: { kh: 1, kw: 1, stride: [1, 1], same: true },
      fused: 4,
      post: Math.tanh,
    },
  ];
  it.each(cases)("$title", async ({ x, out, win, fused, post }) => {
    const kernel = seededUniform(10, out * win.kh * win.kw * x.c, -1, 1);
    const bias = seededUniform(11, out, -1, 1);
    const expected = map(conv2d(x, kernel, bias, out, win), post);
    const model = single(
      x,
      CONV_2D,
      [
        { name: "kernel", shape: [out, win.kh, win.kw, x.c], data: kernel },
        { name: "bias", shape: [out], data: bias },
      ],
      [1, expected.h, expected.w, out],
      convOptions(win, fused),
    );
    expect(maxAbsDiff(await runConverted(model, x), expected.data)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("DEPTHWISE_CONV_2D", () => {
  const cases: { multiplier: number; win: Window }[] = [
    { multiplier: 1, win: { kh: 3, kw: 3, stride: [2, 2], same: true } },
    { multiplier: 2, win: { kh: 3, kw: 3, stride: [2, 2], same: true } },
    {
      multiplier: 1,
      win: { kh: 3, kw: 3, stride: [1, 1], dilation: [2, 2], same: false },
    },
  ];
  it.each(cases)(
    "multiplier $multiplier, $win.stride stride, same=$win.same",
    async ({ multiplier, win }) => {
      const x = image(7, 6, 3, 5);
      const channels = x.c * multiplier;
      const kernel = seededUniform(12, win.kh * win.kw * channels, -1, 1);
      const bias = seededUniform(13, channels, -1, 1);
      const expected = depthwiseConv2d(x, kernel, bias, multiplier, win);
      const model = single(
        x,
        DEPTHWISE_CONV_2D,
        [
          { name: "kernel", shape: [1, win.kh, win.kw, channels], data: kernel },
          { name: "bias", shape: [channels], data: bias },
        ],
        [1, expected.h, expected.w, channels],
        [
          [0, "byte", win.same ? SAME : VALID],
          [1, "int", win.stride[1]],
          [2, "int", win.stride[0]],
          [3, "int", multiplier],
          [4, "byte", 0],
          [5, "int", win.dilation?.[1] ?? 1],
          [6, "int", win.dilation?.[0] ?? 1],
        ],
      );
      expect(maxAbsDiff(await runConverted(model, x), expected.data)).toBeLessThanOrEqual(
        TOLERANCE,
      );
    },
  );
});

describe("MAX_POOL_2D", () => {
  const cases: { x: Nhwc; win: Window }[] = [
    { x: image(5, 7, 3, 6), win: { kh: 3, kw: 3, stride: [2, 2], same: true } },
    { x: image(5, 5, 2, 7), win: { kh: 2, kw: 2, stride: [2, 2], same: true } },
    { x: image(6, 7, 2, 8), win: { kh: 2, kw: 3, stride: [2, 1], same: false } },
  ];
  it.each(cases)("$x.h x $x.w, kernel $win.kh x $win.kw, same=$win.same", async ({ x, win }) => {
    // All-negative inputs: a pad value of 0 leaking into the max would show at the borders.
    const negative = map(x, (v) => v - 2);
    const expected = maxPool2d(negative, win);
    const model = single(
      negative,
      MAX_POOL_2D,
      [],
      [1, expected.h, expected.w, x.c],
      [
        [0, "byte", win.same ? SAME : VALID],
        [1, "int", win.stride[1]],
        [2, "int", win.stride[0]],
        [3, "int", win.kw],
        [4, "int", win.kh],
        [5, "byte", 0],
      ],
    );
    expect(maxAbsDiff(await runConverted(model, negative), expected.data)).toBe(0);
  });
});

describe("activations", () => {
  const x = image(3, 5, 4, 9);

  it("RELU", async () => {
    const model = single(x, RELU, [], [1, 3, 5, 4]);
    expect(await runConverted(model, x)).toEqual(map(x, (v) => Math.max(v, 0)).data);
  });

  it("PRELU with a per-channel [1,1,C] slope", async () => {
    const alpha = seededUniform(14, 4, -1, 1);
    const model = single(
      x,
      PRELU,
      [{ name: "alpha", shape: [1, 1, 4], data: alpha }],
      [1, 3, 5, 4],
    );
    const expected = map(x, (v, c) => (v >= 0 ? v : v * (alpha[c] ?? NaN)));
    expect(maxAbsDiff(await runConverted(model, x), expected.data)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("PAD", () => {
  it.each([
    { title: "channels (MediaPipe's residual channel padding)", h: [0, 0], w: [0, 0], c: [0, 3] },
    { title: "spatial, asymmetric", h: [1, 2], w: [0, 1], c: [0, 0] },
  ])("$title", async ({ h, w, c }) => {
    const x = image(3, 4, 2, 15);
    const expected = pad(x, h, w, c);
    const paddings = Int32Array.from([0, 0, ...h, ...w, ...c]);
    const model = single(
      x,
      PAD,
      [{ name: "paddings", shape: [4, 2], type: "int32", data: paddings }],
      [1, expected.h, expected.w, expected.c],
    );
    expect(await runConverted(model, x)).toEqual(expected.data);
  });
});

describe("ADD", () => {
  const x = image(4, 3, 5, 16);

  it("of two activations, with fused RELU", async () => {
    const model: FixtureModel = {
      tensors: [
        activation("input", [1, 4, 3, 5]),
        activation("relu", [1, 4, 3, 5]),
        activation("sum", [1, 4, 3, 5]),
      ],
      operators: [
        { code: RELU, inputs: [0], outputs: [1] },
        { code: ADD, inputs: [0, 1], outputs: [2], options: [[0, "byte", 1]] },
      ],
      inputs: [0],
      outputs: [2],
    };
    const expected = map(x, (v) => Math.max(v + Math.max(v, 0), 0));
    expect(maxAbsDiff(await runConverted(model, x), expected.data)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("of a per-channel [C] constant, broadcast as TFLite does", async () => {
    const bias = seededUniform(17, 5, -1, 1);
    const model = single(
      x,
      ADD,
      [{ name: "bias", shape: [5], data: bias }],
      [1, 4, 3, 5],
      [[0, "byte", 0]],
    );
    const expected = map(x, (v, c) => v + (bias[c] ?? NaN));
    expect(maxAbsDiff(await runConverted(model, x), expected.data)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("RESHAPE and CONCATENATION", () => {
  const x = image(4, 3, 2, 18);

  it("RESHAPE flattens NHWC order, as BlazeFace's anchor outputs need", async () => {
    const model = single(x, RESHAPE, [], [1, 12, 2], [[0, "ints", [1, -1, 2]]]);
    expect(await runConverted(model, x)).toEqual(x.data);
  });

  it("RESHAPE from rank 3 back to a different rank-4 shape", async () => {
    const model: FixtureModel = {
      tensors: [
        activation("input", [1, 4, 3, 2]),
        activation("flat", [1, 12, 2]),
        activation("back", [1, 2, 6, 2]),
      ],
      operators: [
        { code: RESHAPE, inputs: [0], outputs: [1], options: [[0, "ints", [1, 12, 2]]] },
        { code: RESHAPE, inputs: [1], outputs: [2], options: [[0, "ints", [1, 2, 6, 2]]] },
      ],
      inputs: [0],
      outputs: [2],
    };
    expect(await runConverted(model, x)).toEqual(x.data);
  });

  it.each([3, -1])("CONCATENATION of rank-4 tensors on NHWC axis %i (channels)", async (axis) => {
    const model: FixtureModel = {
      tensors: [
        activation("input", [1, 4, 3, 2]),
        activation("relu", [1, 4, 3, 2]),
        activation("cat", [1, 4, 3, 4]),
      ],
      operators: [
        { code: RELU, inputs: [0], outputs: [1] },
        {
          code: CONCATENATION,
          inputs: [0, 1],
          outputs: [2],
          options: [
            [0, "int", axis],
            [1, "byte", 0],
          ],
        },
      ],
      inputs: [0],
      outputs: [2],
    };
    const expected = new Float32Array(4 * 3 * 4);
    for (let p = 0; p < 12; p++)
      for (let c = 0; c < 2; c++) {
        const v = x.data[p * 2 + c] ?? NaN;
        expected[p * 4 + c] = v;
        expected[p * 4 + 2 + c] = Math.max(v, 0);
      }
    expect(await runConverted(model, x)).toEqual(expected);
  });

  it("CONCATENATION of rank-4 tensors on NHWC axis 1 (height)", async () => {
    const model: FixtureModel = {
      tensors: [
        activation("input", [1, 4, 3, 2]),
        activation("relu", [1, 4, 3, 2]),
        activation("cat", [1, 8, 3, 2]),
      ],
      operators: [
        { code: RELU, inputs: [0], outputs: [1] },
        {
          code: CONCATENATION,
          inputs: [0, 1],
          outputs: [2],
          options: [
            [0, "int", 1],
            [1, "byte", 0],
          ],
        },
      ],
      inputs: [0],
      outputs: [2],
    };
    const expected = Float32Array.from([...x.data, ...x.data.map((v) => Math.max(v, 0))]);
    expect(await runConverted(model, x)).toEqual(expected);
  });

  it("CONCATENATION of reshaped rank-3 tensors on axis 1, as BlazeFace's heads", async () => {
    const model: FixtureModel = {
      tensors: [
        activation("input", [1, 4, 3, 2]),
        activation("relu", [1, 4, 3, 2]),
        activation("a", [1, 12, 2]),
        activation("b", [1, 12, 2]),
        activation("cat", [1, 24, 2]),
      ],
      operators: [
        { code: RELU, inputs: [0], outputs: [1] },
        { code: RESHAPE, inputs: [0], outputs: [2], options: [[0, "ints", [1, -1, 2]]] },
        { code: RESHAPE, inputs: [1], outputs: [3], options: [[0, "ints", [1, -1, 2]]] },
        {
          code: CONCATENATION,
          inputs: [2, 3],
          outputs: [4],
          options: [
            [0, "int", 1],
            [1, "byte", 0],
          ],
        },
      ],
      inputs: [0],
      outputs: [4],
    };
    const expected = Float32Array.from([...x.data, ...x.data.map((v) => Math.max(v, 0))]);
    expect(await runConverted(model, x)).toEqual(expected);
  });
});

// Exact float16 bits of k / 64 for a small integer k: a sign, an exponent and at most 7
// mantissa bits, so the value is representable and the encoding is simple to state.
function halfBits(value: number): number {
  if (value === 0) return 0;
  const exponent = Math.floor(Math.log2(Math.abs(value)));
  const mantissa = Math.abs(value) / 2 ** exponent - 1;
  return (value < 0 ? 0x8000 : 0) | ((exponent + 15) << 10) | Math.round(mantissa * 1024);
}

describe("DEQUANTIZE", () => {
  it("widens float16 weights feeding a CONV_2D, as MediaPipe's models store them", async () => {
    const x = image(5, 5, 2, 19);
    const win: Window = { kh: 3, kw: 3, stride: [1, 1], same: true };
    const values = Float32Array.from(
      seededUniform(20, 3 * 9 * 2, -1, 1),
      (v) => Math.round(v * 128) / 64,
    );
    const biasValues = Float32Array.from([0.5, -1.25, 2]);
    const model: FixtureModel = {
      tensors: [
        activation("input", [1, 5, 5, 2]),
        {
          name: "kernel_f16",
          shape: [3, 3, 3, 2],
          type: "float16",
          data: Uint16Array.from(values, halfBits),
        },
        {
          name: "bias_f16",
          shape: [3],
          type: "float16",
          data: Uint16Array.from(biasValues, halfBits),
        },
        activation("kernel", [3, 3, 3, 2]),
        activation("bias", [3]),
        activation("out", [1, 5, 5, 3]),
      ],
      operators: [
        { code: DEQUANTIZE, inputs: [1], outputs: [3] },
        { code: DEQUANTIZE, inputs: [2], outputs: [4] },
        { code: CONV_2D, inputs: [0, 3, 4], outputs: [5], options: convOptions(win) },
      ],
      inputs: [0],
      outputs: [5],
    };
    const expected = conv2d(x, values, biasValues, 3, win);
    expect(maxAbsDiff(await runConverted(model, x), expected.data)).toBeLessThanOrEqual(TOLERANCE);
  });
});
