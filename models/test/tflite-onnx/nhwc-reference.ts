// Direct NHWC computations of the TFLite ops, written from the op definitions with plain loops,
// as the reference the converted ONNX graphs are checked against. Batch is 1 throughout.

/** An NHWC image with batch 1. */
export interface Nhwc {
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly data: Float32Array;
}

export interface Window {
  readonly kh: number;
  readonly kw: number;
  readonly stride: readonly [number, number];
  readonly dilation?: readonly [number, number];
  readonly same: boolean;
}

// TensorFlow's definition: SAME gives ceil(in / stride) outputs, VALID ceil((in - extent + 1) /
// stride); SAME pads floor(total / 2) before.
function axis(size: number, k: number, stride: number, dilation: number, same: boolean) {
  const extent = (k - 1) * dilation + 1;
  const out = same ? Math.ceil(size / stride) : Math.ceil((size - extent + 1) / stride);
  const total = same ? Math.max((out - 1) * stride + extent - size, 0) : 0;
  return { out, before: Math.floor(total / 2) };
}

/** A windowed op: `reduce(cell values and kernel positions)` per output pixel and channel. */
function windowed(
  x: Nhwc,
  win: Window,
  outChannels: number,
  cell: (oc: number, iy: number, ix: number, ky: number, kx: number) => number,
  init: (oc: number) => number,
  combine: (acc: number, value: number) => number,
): Nhwc {
  const [sy, sx] = win.stride;
  const [dy, dx] = win.dilation ?? [1, 1];
  const ya = axis(x.h, win.kh, sy, dy, win.same);
  const xa = axis(x.w, win.kw, sx, dx, win.same);
  const data = new Float32Array(ya.out * xa.out * outChannels);
  for (let oy = 0; oy < ya.out; oy++)
    for (let ox = 0; ox < xa.out; ox++)
      for (let oc = 0; oc < outChannels; oc++) {
        let acc = init(oc);
        for (let ky = 0; ky < win.kh; ky++)
          for (let kx = 0; kx < win.kw; kx++) {
            const iy = oy * sy + ky * dy - ya.before;
            const ix = ox * sx + kx * dx - xa.before;
            if (iy < 0 || ix < 0 || iy >= x.h || ix >= x.w) continue;
            acc = combine(acc, cell(oc, iy, ix, ky, kx));
          }
        data[(oy * xa.out + ox) * outChannels + oc] = acc;
      }
  return { h: ya.out, w: xa.out, c: outChannels, data };
}

/** CONV_2D with a TFLite kernel [out, kh, kw, in]. */
export function conv2d(
  x: Nhwc,
  kernel: Float32Array,
  bias: Float32Array,
  out: number,
  win: Window,
): Nhwc {
  const at = (iy: number, ix: number, ic: number) => x.data[(iy * x.w + ix) * x.c + ic] ?? 0;
  return windowed(
    x,
    win,
    out,
    (oc, iy, ix, ky, kx) => {
      let sum = 0;
      for (let ic = 0; ic < x.c; ic++) {
        sum += at(iy, ix, ic) * (kernel[((oc * win.kh + ky) * win.kw + kx) * x.c + ic] ?? 0);
      }
      return sum;
    },
    (oc) => bias[oc] ?? 0,
    (acc, v) => acc + v,
  );
}

/** DEPTHWISE_CONV_2D with a TFLite kernel [1, kh, kw, in·multiplier]. */
export function depthwiseConv2d(
  x: Nhwc,
  kernel: Float32Array,
  bias: Float32Array,
  multiplier: number,
  win: Window,
): Nhwc {
  const out = x.c * multiplier;
  return windowed(
    x,
    win,
    out,
    (oc, iy, ix, ky, kx) =>
      (x.data[(iy * x.w + ix) * x.c + Math.floor(oc / multiplier)] ?? 0) *
      (kernel[(ky * win.kw + kx) * out + oc] ?? 0),
    (oc) => bias[oc] ?? 0,
    (acc, v) => acc + v,
  );
}

/** MAX_POOL_2D; padded cells never take part. */
export function maxPool2d(x: Nhwc, win: Window): Nhwc {
  return windowed(
    x,
    win,
    x.c,
    (oc, iy, ix) => x.data[(iy * x.w + ix) * x.c + oc] ?? 0,
    () => -Infinity,
    Math.max,
  );
}

/** Elementwise map over a tensor, keeping its geometry. */
export function map(x: Nhwc, f: (value: number, channel: number) => number): Nhwc {
  return { ...x, data: x.data.map((v, i) => f(v, i % x.c)) };
}

/** PAD with zeros: [before, after] for H, W and C. */
export function pad(
  x: Nhwc,
  [top, bottom]: readonly number[],
  [left, right]: readonly number[],
  [cb, ca]: readonly number[],
): Nhwc {
  const h = x.h + (top ?? 0) + (bottom ?? 0);
  const w = x.w + (left ?? 0) + (right ?? 0);
  const c = x.c + (cb ?? 0) + (ca ?? 0);
  const data = new Float32Array(h * w * c);
  for (let y = 0; y < x.h; y++)
    for (let xx = 0; xx < x.w; xx++)
      for (let ch = 0; ch < x.c; ch++) {
        data[((y + (top ?? 0)) * w + xx + (left ?? 0)) * c + ch + (cb ?? 0)] =
          x.data[(y * x.w + xx) * x.c + ch] ?? 0;
      }
  return { h, w, c, data };
}
