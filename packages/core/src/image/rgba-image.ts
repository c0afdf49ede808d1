/**
 * Decoded pixels, row-major RGBA with 8 bits a channel: the shape of the web's `ImageData`, so
 * a canvas readback and a server-side JPEG decode feed the same code.
 */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** An axis-aligned rectangle in pixels. */
export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A point in frame pixels; (0, 0) is the top-left corner of the top-left pixel. */
export interface PixelPoint {
  readonly x: number;
  readonly y: number;
}
