import type { RgbaImage } from "@lumen/core";

/** A head-on face: a sphere cap of `radius` pixels centred in the frame. */
export interface SyntheticFace {
  readonly image: RgbaImage;
  /** 468 points, `x, y, z` in frame pixels on the cap; smaller `z` nearer the camera. */
  readonly points: Float32Array;
  readonly centreX: number;
  readonly centreY: number;
  readonly radius: number;
}

export const SKIN = [200, 150, 130] as const;
export const BACKGROUND = [110, 120, 130] as const;

/**
 * A `width × height` frame: a skin-coloured disc on a plain background, and a 468-point mesh on
 * the front of a sphere (a Fibonacci spiral over polar angles up to 80° from the camera axis),
 * so normals turn from facing the camera at the centre to nearly sideways at the rim.
 * `background` sets the background colour (the skin's for a uniform frame).
 */
export function syntheticFace(
  width = 320,
  height = 240,
  background: readonly [number, number, number] = BACKGROUND,
): SyntheticFace {
  const centreX = width / 2;
  const centreY = height / 2;
  const radius = Math.min(width, height) * 0.35;
  const points = new Float32Array(468 * 3);
  const maxPolar = (80 * Math.PI) / 180;
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < 468; i++) {
    // Uniform in area over the cap: cos(polar) from 1 down to cos(maxPolar).
    const cosPolar = 1 - ((i + 0.5) / 468) * (1 - Math.cos(maxPolar));
    const sinPolar = Math.sqrt(1 - cosPolar * cosPolar);
    const azimuth = i * golden;
    points[3 * i] = centreX + radius * sinPolar * Math.cos(azimuth);
    points[3 * i + 1] = centreY + radius * sinPolar * Math.sin(azimuth);
    points[3 * i + 2] = -radius * cosPolar;
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = Math.hypot(x + 0.5 - centreX, y + 0.5 - centreY) < radius;
      data.set([...(inside ? SKIN : background), 255], 4 * (y * width + x));
    }
  }
  return { image: { width, height, data }, points, centreX, centreY, radius };
}

/** Mean of each channel over the square of half-side `half` around (`x`, `y`). */
export function patchMean(
  image: RgbaImage,
  x: number,
  y: number,
  half = 4,
): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let py = Math.round(y - half); py <= Math.round(y + half); py++) {
    for (let px = Math.round(x - half); px <= Math.round(x + half); px++) {
      const i = 4 * (py * image.width + px);
      for (let c = 0; c < 3; c++) sum[c] = (sum[c] ?? 0) + (image.data[i + c] ?? 0);
      n++;
    }
  }
  return [(sum[0] ?? 0) / n, (sum[1] ?? 0) / n, (sum[2] ?? 0) / n];
}
