/** EXIF orientation 1–8; 1 is upright. */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const ORIENTATION_TAG = 0x0112;

function readExifOrientation(view: DataView, tiff: number, end: number): ExifOrientation {
  if (tiff + 8 > end) return 1;
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return 1;
  const little = order === 0x4949;
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return 1;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return 1;
    if (view.getUint16(entry, little) === ORIENTATION_TAG) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? (value as ExifOrientation) : 1;
    }
  }
  return 1;
}

/**
 * The EXIF orientation a JPEG declares (1 when it declares none or the EXIF is malformed).
 * Browsers draw JPEGs turned upright by it, so the server must too, or the two sides would
 * analyse different pixels.
 *
 * @example
 * ```ts
 * jpegOrientation(bytes); // 6 for a phone photo taken in portrait
 * ```
 */
export function jpegOrientation(bytes: Uint8Array): ExifOrientation {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1];
    // Start of scan: no metadata segment follows.
    if (marker === 0xda) return 1;
    const length = view.getUint16(offset + 2);
    const end = Math.min(offset + 2 + length, bytes.length);
    const isExif =
      marker === 0xe1 &&
      length >= 8 &&
      bytes[offset + 4] === 0x45 &&
      bytes[offset + 5] === 0x78 &&
      bytes[offset + 6] === 0x69 &&
      bytes[offset + 7] === 0x66;
    if (isExif) return readExifOrientation(view, offset + 10, end);
    offset += 2 + length;
  }
  return 1;
}

/**
 * Turns decoded RGBA pixels upright according to an EXIF orientation.
 *
 * @example
 * ```ts
 * const upright = applyOrientation(decoded, jpegOrientation(bytes));
 * ```
 */
export function applyOrientation(
  image: { width: number; height: number; data: Uint8Array },
  orientation: ExifOrientation,
): { width: number; height: number; data: Uint8Array } {
  if (orientation === 1) return image;
  const { width: w, height: h, data } = image;
  const swaps = orientation >= 5;
  const width = swaps ? h : w;
  const height = swaps ? w : h;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2:
          [sx, sy] = [w - 1 - x, y];
          break;
        case 3:
          [sx, sy] = [w - 1 - x, h - 1 - y];
          break;
        case 4:
          [sx, sy] = [x, h - 1 - y];
          break;
        case 5:
          [sx, sy] = [y, x];
          break;
        case 6:
          [sx, sy] = [y, h - 1 - x];
          break;
        case 7:
          [sx, sy] = [w - 1 - y, h - 1 - x];
          break;
        case 8:
          [sx, sy] = [w - 1 - y, x];
          break;
      }
      out.set(data.subarray((sy * w + sx) * 4, (sy * w + sx) * 4 + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data: out };
}
