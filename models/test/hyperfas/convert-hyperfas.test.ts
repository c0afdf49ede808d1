import { readFile } from "node:fs/promises";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { readKerasWeights } from "../../src/hdf5/read-keras-weights.ts";
import { convertHyperfasToOnnx } from "../../src/hyperfas/convert-hyperfas.ts";
import { convertKerasChainToOnnx } from "../../src/keras/convert-keras-chain.ts";
import { chwToHwc } from "../helpers/chw-to-hwc.ts";
import { concatFloat32 } from "../helpers/concat-float32.ts";
import { maxAbsDiff } from "../helpers/max-abs-diff.ts";
import { seededUniform } from "../helpers/seeded-uniform.ts";
import { HYPERFAS_SIZE, HYPERFAS_STILLS, loadHyperfasStill } from "./hyperfas-inputs.ts";
import { createHyperfasReference } from "./hyperfas-keras-reference.ts";

const H5_URL = new URL("../../../../shared/models/hyperfas/fas.h5", import.meta.url);
const PLANE = 3 * HYPERFAS_SIZE * HYPERFAS_SIZE;
// Measured: at most 5.4e-7 apart. BatchNormalization folded into the convolutions rounds
// differently from Keras's separate normalisation, 27 times over.
const TOLERANCE = 1e-5;

describe("convertHyperfasToOnnx(fas.h5)", () => {
  let h5: Uint8Array;
  let onnx: Uint8Array;
  let session: InferenceSession;
  let keras: (nhwc: Float32Array, batch: number) => Float32Array;
  let stills: Float32Array;

  async function runOnnx(nchw: Float32Array, batch: number): Promise<Float32Array> {
    const { output } = await session.run({
      input: new Tensor("float32", nchw, [batch, 3, HYPERFAS_SIZE, HYPERFAS_SIZE]),
    });
    expect(output?.dims).toEqual([batch, 1]);
    return output?.data as Float32Array;
  }

  beforeAll(async () => {
    h5 = new Uint8Array(await readFile(H5_URL));
    onnx = convertHyperfasToOnnx(h5);
    session = await InferenceSession.create(onnx);
    keras = await createHyperfasReference(h5);
    stills = concatFloat32(await Promise.all(HYPERFAS_STILLS.map(loadHyperfasStill)));
  });

  it("declares input [N,3,224,224] and output [N,1]", () => {
    expect(session.inputNames).toEqual(["input"]);
    expect(session.outputNames).toEqual(["output"]);
  });

  it("matches the Keras model built from the file's model_config on the stills", async () => {
    const batch = HYPERFAS_STILLS.length;
    const fromOnnx = await runOnnx(stills, batch);
    const fromKeras = keras(chwToHwc(stills, HYPERFAS_SIZE), batch);
    expect(maxAbsDiff(fromOnnx, fromKeras)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("matches the Keras model on seeded random inputs in [-1, 1)", async () => {
    const batch = 3;
    const random = concatFloat32([1, 2, 3].map((seed) => seededUniform(seed, PLANE, -1, 1)));
    const fromOnnx = await runOnnx(random, batch);
    const fromKeras = keras(chwToHwc(random, HYPERFAS_SIZE), batch);
    expect(maxAbsDiff(fromOnnx, fromKeras)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("scores Silent-Face's live sample above its photo and screen attacks", async () => {
    const [live, photo, screen] = await runOnnx(stills.subarray(0, 3 * PLANE), 3);
    expect(live).toBeGreaterThan(Math.max(photo ?? NaN, screen ?? NaN));
  });

  it("scores each still alike alone and in a batch", async () => {
    const batched = await runOnnx(stills, HYPERFAS_STILLS.length);
    const first = await runOnnx(stills.subarray(0, PLANE), 1);
    expect(first[0]).toBeCloseTo(batched[0] ?? NaN, 6);
  });

  it("is deterministic: two conversions are byte-identical", () => {
    expect(Buffer.from(convertHyperfasToOnnx(h5)).equals(Buffer.from(onnx))).toBe(true);
  });
});

describe("convertHyperfasToOnnx on bad input", () => {
  let h5: Uint8Array;
  beforeAll(async () => {
    h5 = new Uint8Array(await readFile(H5_URL));
  });

  function failure(convert: () => unknown): LumenError {
    try {
      convert();
    } catch (err) {
      expect(err).toBeInstanceOf(LumenError);
      expect((err as LumenError).code).toBe("MODEL_SOURCE_INVALID");
      return err as LumenError;
    }
    throw new Error("expected the conversion to fail");
  }

  it("refuses bytes that are not HDF5", () => {
    const bytes = new TextEncoder().encode("not an hdf5 file at all");
    expect(failure(() => convertHyperfasToOnnx(bytes)).message).toMatch(/HDF5 signature/);
  });

  it("refuses a truncated file", () => {
    for (const length of [64, 4096, h5.length >> 1, h5.length - 1000]) {
      expect(failure(() => convertHyperfasToOnnx(h5.subarray(0, length))).message).toMatch(
        /Not a readable Keras HDF5 file|Cannot convert the Keras model|Not the HyperFAS model/,
      );
    }
  });

  it("refuses a weights-only file, which has no model_config", async () => {
    const meso = new Uint8Array(
      await readFile(new URL("../../../../shared/models/mesonet/Meso4_DF.h5", import.meta.url)),
    );
    expect(failure(() => convertHyperfasToOnnx(meso)).message).toMatch(/holds no model_config/);
  });

  describe("with an edited file", () => {
    function edit(
      change: (layers: { class_name: string; config: Record<string, unknown> }[]) => void,
    ) {
      const file = readKerasWeights(h5);
      const config = structuredClone(file.modelConfig) as {
        config: { layers: { class_name: string; config: Record<string, unknown> }[] };
      };
      change(config.config.layers);
      return { ...file, modelConfig: config };
    }

    it("refuses a config whose layer the weights lack", () => {
      const file = readKerasWeights(h5);
      const layers = file.layers.filter((l) => l.name !== "block5_bn1");
      expect(failure(() => convertKerasChainToOnnx({ ...file, layers }, OPTIONS)).message).toMatch(
        /model_config layer 35 is block5_bn1, the weights list block5_act1 there/,
      );
    });

    it("refuses a layer missing from the chain", () => {
      const edited = edit((layers) => layers.splice(4, 1));
      expect(failure(() => convertKerasChainToOnnx(edited, OPTIONS)).message).toMatch(
        /layer block0_bn1 reads \[block0_dw\], expected \[initial_act\]/,
      );
    });

    it("refuses an unsupported layer by name", () => {
      const edited = edit((layers) => {
        const act = layers.find((l) => l.config.name === "block3_act1");
        if (act) act.class_name = "ReLU6";
      });
      expect(failure(() => convertKerasChainToOnnx(edited, OPTIONS)).message).toMatch(
        /layer block3_act1 is a ReLU6, which this converter does not support/,
      );
    });

    it("refuses an unsupported activation", () => {
      const edited = edit((layers) => {
        const act = layers.find((l) => l.config.name === "block3_act1");
        if (act) act.config.activation = "relu6";
      });
      expect(failure(() => convertKerasChainToOnnx(edited, OPTIONS)).message).toMatch(
        /layer block3_act1 \(Activation\) has activation "relu6", supported: relu, sigmoid/,
      );
    });

    it("refuses a weight that does not fit the config", () => {
      const edited = edit((layers) => {
        const conv = layers.find((l) => l.config.name === "block0_pw");
        if (conv) conv.config.filters = 48;
      });
      expect(failure(() => convertKerasChainToOnnx(edited, OPTIONS)).message).toMatch(
        /block0_pw\/kernel:0 has shape \[1,1,16,32\], expected \[1,1,16,48\]/,
      );
    });
  });
});

const OPTIONS = { graphName: "test", docString: "", producerVersion: "0" };
