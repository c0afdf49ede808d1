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

function expectInvalid(bytes: Uint8Array): void {
  let error: unknown;
  try {
    decodeJpeg(bytes, LIMIT);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(LumenError);
  expect((error as LumenError).code).toBe("IMAGE_INVALID");
}

describe("decodeJpeg", () => {
  it("decodes a JPEG to RGBA", () => {
    const image = decodeJpeg(encodeSample(), LIMIT);
    expect(image.width).toBe(64);
    expect(image.height).toBe(48);
    expect(image.data.length).toBe(64 * 48 * 4);
    expect(Math.abs((image.data[1] ?? 0) - 80)).toBeLessThan(6);
  });

  it("refuses a truncated JPEG", () => {
    const bytes = encodeSample();
    expectInvalid(bytes.subarray(0, Math.floor(bytes.length / 2)));
  });

  it("refuses a JPEG declaring 60000x60000 pixels before decoding it", () => {
    expectInvalid(declareSize(encodeSample(), 60000, 60000));
  });

  it("refuses a PNG named .jpg and empty input", () => {
    expectInvalid(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expectInvalid(new Uint8Array(0));
  });
});
