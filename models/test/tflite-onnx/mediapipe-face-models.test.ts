import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import jpeg from "jpeg-js";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { cropToTensor } from "@lumen/core";
import { convertTfliteToOnnx } from "../../src/tflite-onnx/convert-tflite-to-onnx.ts";
import {
  FACE_DETECTOR_ONNX_OPTIONS,
  FACE_MESH_ONNX_OPTIONS,
} from "../../src/tflite-onnx/mediapipe-face-onnx-options.ts";
import { readFaceMeshTflite } from "./face-mesh-tflite.ts";

// The two MediaPipe networks converted for the server. Numerical parity with TFLite itself is
// checked in Chromium by test/src/tflite-onnx-parity.test.ts; here: I/O, determinism, and
// that the outputs mean what the options say on a real face.

const STILL = new URL("../../../../shared/media/stills/mesonet-real00240.jpg", import.meta.url);

async function still(size: number): Promise<Float32Array> {
  const image = jpeg.decode(await readFile(STILL), { useTArray: true, formatAsRGBA: true });
  const rect = { x: 0, y: 0, width: image.width, height: image.height };
  return cropToTensor(image, rect, { size, scale: 1 / 255 });
}

describe.each([
  { file: "face_detection_short_range.tflite", options: FACE_DETECTOR_ONNX_OPTIONS, size: 128 },
  { file: "face_landmark.tflite", options: FACE_MESH_ONNX_OPTIONS, size: 192 },
])("convertTfliteToOnnx($file)", ({ file, options, size }) => {
  let tflite: Uint8Array;
  let onnx: Uint8Array;
  let session: InferenceSession;

  beforeAll(async () => {
    tflite = await readFaceMeshTflite(file);
    onnx = convertTfliteToOnnx(tflite, options);
    session = await InferenceSession.create(onnx);
    console.info(
      file,
      "→ ONNX",
      onnx.length,
      "bytes, sha256",
      createHash("sha256").update(onnx).digest("hex"),
    );
  });

  it("declares the server's I/O", async () => {
    expect(session.inputNames).toEqual(["input"]);
    expect(session.outputNames).toEqual(options.outputs.map((o) => o.name));
    const results = await session.run({
      input: new Tensor("float32", new Float32Array(3 * size * size), [1, 3, size, size]),
    });
    for (const output of options.outputs) expect(results[output.name]?.dims).toEqual(output.shape);
  });

  it("is deterministic: two conversions are byte-identical", () => {
    expect(Buffer.from(convertTfliteToOnnx(tflite, options)).equals(Buffer.from(onnx))).toBe(true);
  });
});

describe("the converted models on a real face crop", () => {
  it("the detector scores a face, and the mesh finds one with landmarks inside the crop", async () => {
    const detector = await InferenceSession.create(
      convertTfliteToOnnx(
        await readFaceMeshTflite("face_detection_short_range.tflite"),
        FACE_DETECTOR_ONNX_OPTIONS,
      ),
    );
    const unit128 = await still(128);
    const { classificators } = await detector.run({
      input: new Tensor(
        "float32",
        unit128.map((v) => v * 2 - 1),
        [1, 3, 128, 128],
      ),
    });
    expect(Math.max(...(classificators?.data as Float32Array))).toBeGreaterThan(0);

    const mesh = await InferenceSession.create(
      convertTfliteToOnnx(await readFaceMeshTflite("face_landmark.tflite"), FACE_MESH_ONNX_OPTIONS),
    );
    const { landmarks, face_flag } = await mesh.run({
      input: new Tensor("float32", await still(192), [1, 3, 192, 192]),
    });
    expect((face_flag?.data as Float32Array)[0]).toBeGreaterThan(0);
    const points = landmarks?.data as Float32Array;
    const xs = points.filter((_, i) => i % 3 === 0);
    const ys = points.filter((_, i) => i % 3 === 1);
    for (const coordinates of [xs, ys]) {
      expect(Math.min(...coordinates)).toBeGreaterThan(0);
      expect(Math.max(...coordinates)).toBeLessThan(192);
    }
  });
});
