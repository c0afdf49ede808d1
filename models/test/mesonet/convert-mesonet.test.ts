import { readFile } from "node:fs/promises";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { convertMesonetToOnnx } from "../../src/mesonet/convert-mesonet.ts";
import { createKerasReference } from "./keras-reference.ts";
import { chwToHwc } from "../helpers/chw-to-hwc.ts";
import { concatFloat32 } from "../helpers/concat-float32.ts";
import { maxAbsDiff } from "../helpers/max-abs-diff.ts";
import { seededUniform } from "../helpers/seeded-uniform.ts";
import { loadMesonetStill, MESONET_SIZE, MESONET_STILLS } from "./mesonet-inputs.ts";

const MODELS_DIR = new URL("../../../../shared/models/mesonet/", import.meta.url);
const PLANE = 3 * 256 * 256;
const TOLERANCE = 1e-4;

describe.each(["Meso4_DF.h5", "Meso4_F2F.h5"])("convertMesonetToOnnx(%s)", (file) => {
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
    onnx = convertMesonetToOnnx(h5);
    session = await InferenceSession.create(onnx);
    keras = await createKerasReference(h5);
    stills = concatFloat32(await Promise.all(MESONET_STILLS.map(loadMesonetStill)));
  });

  it("declares input [N,3,256,256] and output [N,1]", () => {
    expect(session.inputNames).toEqual(["input"]);
    expect(session.outputNames).toEqual(["output"]);
  });

  it("matches the Keras model on the MesoNet stills", async () => {
    const batch = MESONET_STILLS.length;
    const fromOnnx = await runOnnx(stills, batch);
    const fromKeras = keras(chwToHwc(stills, MESONET_SIZE), batch);
    expect(maxAbsDiff(fromOnnx, fromKeras)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("matches the Keras model on seeded random inputs", async () => {
    const batch = 3;
    const random = concatFloat32([1, 2, 3].map((seed) => seededUniform(seed, PLANE)));
    const fromOnnx = await runOnnx(random, batch);
    const fromKeras = keras(chwToHwc(random, MESONET_SIZE), batch);
    expect(maxAbsDiff(fromOnnx, fromKeras)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("scores each still alike alone and in a batch", async () => {
    const batched = await runOnnx(stills, MESONET_STILLS.length);
    const first = await runOnnx(stills.subarray(0, PLANE), 1);
    expect(first[0]).toBeCloseTo(batched[0] ?? NaN, 6);
  });

  it("is deterministic: two conversions are byte-identical", () => {
    expect(Buffer.from(convertMesonetToOnnx(h5)).equals(Buffer.from(onnx))).toBe(true);
  });
});

describe("Meso4_DF on the MesoNet stills", () => {
  it("scores both deepfakes below both real faces", async () => {
    const h5 = new Uint8Array(await readFile(new URL("Meso4_DF.h5", MODELS_DIR)));
    const session = await InferenceSession.create(convertMesonetToOnnx(h5));
    const input = concatFloat32(await Promise.all(MESONET_STILLS.map(loadMesonetStill)));
    const { output } = await session.run({
      input: new Tensor("float32", input, [MESONET_STILLS.length, 3, 256, 256]),
    });
    const [df1, df2, real1, real2] = output?.data as Float32Array;
    expect(Math.max(df1 ?? NaN, df2 ?? NaN)).toBeLessThan(Math.min(real1 ?? NaN, real2 ?? NaN));
  });
});

describe("convertMesonetToOnnx on bad input", () => {
  function failure(bytes: Uint8Array): LumenError {
    try {
      convertMesonetToOnnx(bytes);
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
    expect(failure(new Uint8Array(0)).code).toBe("MODEL_SOURCE_INVALID");
  });

  it("refuses a truncated file", async () => {
    const h5 = new Uint8Array(await readFile(new URL("Meso4_DF.h5", MODELS_DIR)));
    for (const length of [64, 4096, h5.length >> 1]) {
      const err = failure(h5.subarray(0, length));
      expect(err.code).toBe("MODEL_SOURCE_INVALID");
      expect(err.message).toMatch(/Not a readable Keras HDF5 file|Not Meso4 weights/);
    }
  });

  it("refuses an HDF5 signature followed by garbage", () => {
    const bytes = seededUniform(7, 4096).map((v) => Math.floor(v * 256));
    const garbage = Uint8Array.from(bytes);
    garbage.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(failure(garbage).code).toBe("MODEL_SOURCE_INVALID");
  });
});
