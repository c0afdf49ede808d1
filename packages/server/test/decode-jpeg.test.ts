import jpeg from "jpeg-js";
import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { decodeJpeg } from "../src/index.ts";

const LIMIT = { maxPixels: 1280 * 720 };

function encodeSample(width = 64, height = 48): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([(i / 4) % 256, 80, 160, 255], i);
  return new Uint8Array(jpeg.encode({ width, height, data }, 90).data);
}

// Rewrites the frame size declared in the first SOF0 marker.
function declareSize(bytes: Uint8Array, width: number, height: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 2; i < out.length - 8; i++) {
    if (out[i] === 0xff && out[i + 1] === 0xc0) {
      out.set([height >> 8, height & 0xff, width >> 8, width & 0xff], i + 5);
      return out;
    }
  }
  throw new Error("no SOF0");
}

async function expectInvalid(bytes: Uint8Array): Promise<void> {
  await expect(decodeJpeg(bytes, LIMIT)).rejects.toSatisfy(
    (error: unknown) => error instanceof LumenError && error.code === "IMAGE_INVALID",
  );
}

describe("decodeJpeg", () => {
  it("decodes a JPEG to RGBA", async () => {
    const image = await decodeJpeg(encodeSample(), LIMIT);
    expect(image.width).toBe(64);
    expect(image.height).toBe(48);
    expect(image.data.length).toBe(64 * 48 * 4);
    expect(Math.abs((image.data[1] ?? 0) - 80)).toBeLessThan(6);
  });

  it("refuses a truncated JPEG", async () => {
    const bytes = encodeSample();
    await expectInvalid(bytes.subarray(0, Math.floor(bytes.length / 2)));
  });

  it("refuses a JPEG whose entropy-coded data is corrupt (a decoder warning is an error)", async () => {
    const bytes = encodeSample();
    const at = Math.floor(bytes.length * 0.6);
    bytes.fill(0xff, at, at + 16);
    await expectInvalid(bytes);
  });

  it("refuses a JPEG declaring 60000x60000 pixels before decoding it", async () => {
    await expectInvalid(declareSize(encodeSample(), 60000, 60000));
  });

  it("refuses a PNG named .jpg and empty input", async () => {
    await expectInvalid(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    );
    await expectInvalid(new Uint8Array(0));
  });
});

// An APP1 Exif segment (little-endian TIFF) holding only an orientation tag.
function exifSegment(orientation: number): Uint8Array {
  const tiff = [
    0x49,
    0x49,
    0x2a,
    0,
    8,
    0,
    0,
    0,
    1,
    0,
    0x12,
    0x01,
    3,
    0,
    1,
    0,
    0,
    0,
    orientation,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  const body = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const length = body.length + 2;
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...body]);
}

function withExif(jpegBytes: Uint8Array, orientation: number): Uint8Array {
  const segment = exifSegment(orientation);
  const out = new Uint8Array(jpegBytes.length + segment.length);
  out.set(jpegBytes.subarray(0, 2));
  out.set(segment, 2);
  out.set(jpegBytes.subarray(2), 2 + segment.length);
  return out;
}

// Left half dark, right half bright, so a turn is visible in which side is bright.
function halves(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      data.set(x < width / 2 ? [0, 0, 0, 255] : [255, 255, 255, 255], (y * width + x) * 4);
  return new Uint8Array(jpeg.encode({ width, height, data }, 95).data);
}

function brightness(
  image: { width: number; data: Uint8Array | Uint8ClampedArray },
  x: number,
  y: number,
): number {
  return image.data[(y * image.width + x) * 4] ?? -1;
}

describe("decodeJpeg orientation", () => {
  it("turns an EXIF orientation 6 image upright, as a browser does", async () => {
    const upright = await decodeJpeg(withExif(halves(64, 32), 6), LIMIT);
    expect([upright.width, upright.height]).toEqual([32, 64]);
    // Rotated 90° clockwise: the stored right half ends at the bottom.
    expect(brightness(upright, 16, 4)).toBeLessThan(30);
    expect(brightness(upright, 16, 60)).toBeGreaterThan(225);
  });

  it("handles orientation 3 and 8 and ignores an invalid value", async () => {
    const turned = await decodeJpeg(withExif(halves(64, 32), 3), LIMIT);
    expect(brightness(turned, 4, 16)).toBeGreaterThan(225);
    const ccw = await decodeJpeg(withExif(halves(64, 32), 8), LIMIT);
    expect([ccw.width, ccw.height]).toEqual([32, 64]);
    expect(brightness(ccw, 16, 4)).toBeGreaterThan(225);
    const invalid = await decodeJpeg(withExif(halves(64, 32), 9), LIMIT);
    expect([invalid.width, invalid.height]).toEqual([64, 32]);
  });

  it("does not let a malformed EXIF segment break decoding", async () => {
    const bytes = withExif(halves(64, 32), 6);
    // Point IFD0 far past the end of the segment.
    bytes[2 + 4 + 6 + 4] = 0xff;
    const image = await decodeJpeg(bytes, LIMIT);
    expect([image.width, image.height]).toEqual([64, 32]);
  });
});
