import { readFile } from "node:fs/promises";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { convertMesoInceptionToOnnx } from "../../src/mesonet/convert-mesoinception.ts";
import { chwToHwc } from "../helpers/chw-to-hwc.ts";
import { concatFloat32 } from "../helpers/concat-float32.ts";
import { maxAbsDiff } from "../helpers/max-abs-diff.ts";
import { seededUniform } from "../helpers/seeded-uniform.ts";
import { loadMesonetStill, MESONET_SIZE, MESONET_STILLS } from "../mesonet/mesonet-inputs.ts";
import { createMesoInceptionReference } from "./mesoinception-keras-reference.ts";

const MODELS_DIR = new URL("../../../../shared/models/mesonet/", import.meta.url);
const PLANE = 3 * 256 * 256;
// Measured: at most 1.3e-6 apart (float32 rounding in a different order of operations).
const TOLERANCE = 1e-5;
// Silent-Face's samples, whole images: one real face, a printed photo and a screen.
const SILENT_FACE_STILLS = [
  "silentface-image_T1.jpg",
  "silentface-image_F1.jpg",
  "silentface-image_F2.jpg",
] as const;
const STILLS = [...MESONET_STILLS, ...SILENT_FACE_STILLS];

describe.each(["MesoInception_DF.h5", "MesoInception_F2F.h5"])(
  "convertMesoInceptionToOnnx(%s)",
  (file) => {
    let h5: Uint8Array;
    let onnx: Uint8Array;
    let session: InferenceSession;
    let keras: (nhwc: Float32Array, batch: number) => Float32Array;
    let stills: Float32Array;

    async function runOnnx(nchw: Float32Array, batch: number): Promise<Float32Array> {
      const { output } = await session.run({
        input: new Tensor("float32", nchw, [batch, 3, 256, 256]),
      });
      expect(output?.dims).toEqual([batch, 1]);
      return output?.data as Float32Array;
    }

    beforeAll(async () => {
      h5 = new Uint8Array(await readFile(new URL(file, MODELS_DIR)));
      onnx = convertMesoInceptionToOnnx(h5);
      session = await InferenceSession.create(onnx);
      keras = await createMesoInceptionReference(h5);
      stills = concatFloat32(await Promise.all(STILLS.map(loadMesonetStill)));
    });

    it("declares input [N,3,256,256] and output [N,1]", () => {
      expect(session.inputNames).toEqual(["input"]);
      expect(session.outputNames).toEqual(["output"]);
    });

    it("matches the Keras model on the MesoNet and Silent-Face stills", async () => {
      const batch = STILLS.length;
      const fromOnnx = await runOnnx(stills, batch);
      const fromKeras = keras(chwToHwc(stills, MESONET_SIZE), batch);
      expect(maxAbsDiff(fromOnnx, fromKeras)).toBeLessThanOrEqual(TOLERANCE);
    });

    it("matches the Keras model on seeded random inputs", async () => {
      const batch = 3;
      // Full-range noise drives both models to exactly 1, which would compare nothing; noise
      // about mid-grey keeps the DF model's output between 0.02 and 0.2.
      const random = concatFloat32([1, 2, 3].map((seed) => seededUniform(seed, PLANE, 0.45, 0.55)));
      const fromOnnx = await runOnnx(random, batch);
      const fromKeras = keras(chwToHwc(random, MESONET_SIZE), batch);
      expect(maxAbsDiff(fromOnnx, fromKeras)).toBeLessThanOrEqual(TOLERANCE);
    });

    it("scores each still alike alone and in a batch", async () => {
      const batched = await runOnnx(stills, STILLS.length);
      const last = await runOnnx(stills.subarray((STILLS.length - 1) * PLANE), 1);
      expect(last[0]).toBeCloseTo(batched[STILLS.length - 1] ?? NaN, 6);
    });

    it("is deterministic: two conversions are byte-identical", () => {
      expect(Buffer.from(convertMesoInceptionToOnnx(h5)).equals(Buffer.from(onnx))).toBe(true);
    });
  },
);

describe("convertMesoInceptionToOnnx on bad input", () => {
  function failure(bytes: Uint8Array): LumenError {
    try {
      convertMesoInceptionToOnnx(bytes);
    } catch (err) {
      expect(err).toBeInstanceOf(LumenError);
      return err as LumenError;
    }
    throw new Error("expected the conversion to fail");
  }

  it("refuses bytes that are not HDF5", () => {
    const err = failure(new TextEncoder().encode("not an hdf5 file at all"));
    expect(err.code).toBe("MODEL_SOURCE_INVALID");
    expect(err.message).toMatch(/HDF5 signature/);
  });

  it("refuses a truncated file", async () => {
    const h5 = new Uint8Array(await readFile(new URL("MesoInception_DF.h5", MODELS_DIR)));
    for (const length of [64, 4096, h5.length >> 1]) {
      const err = failure(h5.subarray(0, length));
      expect(err.code).toBe("MODEL_SOURCE_INVALID");
      expect(err.message).toMatch(/Not a readable Keras HDF5 file|Not MesoInception4 weights/);
    }
  });

  it("refuses Meso4 weights, naming the first layer that differs", async () => {
    const err = failure(new Uint8Array(await readFile(new URL("Meso4_DF.h5", MODELS_DIR))));
    expect(err.code).toBe("MODEL_SOURCE_INVALID");
    expect(err.message).toMatch(/Not MesoInception4 weights: layer 2 is batch_normalization_\d+/);
  });
});
