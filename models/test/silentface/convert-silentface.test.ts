import { readFile } from "node:fs/promises";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import type { MiniFasNetVariant } from "../../src/silentface/minifasnet-architecture.ts";
import { convertSilentFaceToOnnx } from "../../src/silentface/convert-silentface.ts";
import { readLegacyTorchStateDict } from "../../src/torch/read-legacy-torch-state-dict.ts";
import { chwToHwc } from "../helpers/chw-to-hwc.ts";
import { concatFloat32 } from "../helpers/concat-float32.ts";
import { maxAbsDiff } from "../helpers/max-abs-diff.ts";
import { seededUniform } from "../helpers/seeded-uniform.ts";
import { loadSilentFaceStill, SILENTFACE_SIZE, SILENTFACE_STILLS } from "./silentface-inputs.ts";
import { createTorchReference } from "./torch-reference.ts";

const MODELS_DIR = new URL("../../../../shared/models/silentface/", import.meta.url);
const PLANE = 3 * SILENTFACE_SIZE * SILENTFACE_SIZE;
// On logits of magnitude up to ~10; measured at most 5e-6 (float32 summation order and
// the folded BatchNorms are the only differences).
const TOLERANCE = 1e-4;

const MODELS = [
  { file: "2.7_80x80_MiniFASNetV2.pth", variant: "MiniFASNetV2", scale: 2.7 },
  { file: "4_0_0_80x80_MiniFASNetV1SE.pth", variant: "MiniFASNetV1SE", scale: 4.0 },
] as const satisfies readonly { file: string; variant: MiniFasNetVariant; scale: number }[];

function softmax(logits: Float32Array, row: number): number[] {
  const values = Array.from(logits.subarray(row * 3, row * 3 + 3));
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

describe.each(MODELS)("convertSilentFaceToOnnx($variant)", ({ file, variant, scale }) => {
  let pth: Uint8Array;
  let onnx: Uint8Array;
  let session: InferenceSession;
  let reference: (nhwc: Float32Array, batch: number) => Float32Array;
  let stills: Float32Array;

  async function runOnnx(nchw: Float32Array, batch: number): Promise<Float32Array> {
    const { output } = await session.run({
      input: new Tensor("float32", nchw, [batch, 3, SILENTFACE_SIZE, SILENTFACE_SIZE]),
    });
    expect(output?.dims).toEqual([batch, 3]);
    return output?.data as Float32Array;
  }

  beforeAll(async () => {
    pth = new Uint8Array(await readFile(new URL(file, MODELS_DIR)));
    onnx = convertSilentFaceToOnnx(pth, variant);
    session = await InferenceSession.create(onnx);
    reference = await createTorchReference(readLegacyTorchStateDict(pth), variant);
    stills = concatFloat32(
      await Promise.all(SILENTFACE_STILLS.map((still) => loadSilentFaceStill(still, scale))),
    );
  });

  it("declares input [N,3,80,80] and output [N,3]", () => {
    expect(session.inputNames).toEqual(["input"]);
    expect(session.outputNames).toEqual(["output"]);
  });

  it("matches the upstream network on seeded random BGR 0..255 inputs", async () => {
    const batch = 4;
    const random = concatFloat32([1, 2, 3, 4].map((seed) => seededUniform(seed, PLANE, 0, 255)));
    const fromOnnx = await runOnnx(random, batch);
    const fromReference = reference(chwToHwc(random, SILENTFACE_SIZE), batch);
    expect(maxAbsDiff(fromOnnx, fromReference)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("matches the upstream network on the upstream sample faces", async () => {
    const batch = SILENTFACE_STILLS.length;
    const fromOnnx = await runOnnx(stills, batch);
    const fromReference = reference(chwToHwc(stills, SILENTFACE_SIZE), batch);
    expect(maxAbsDiff(fromOnnx, fromReference)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("reads the real face as real and the photo and screen replays as not", async () => {
    const logits = await runOnnx(stills, SILENTFACE_STILLS.length);
    SILENTFACE_STILLS.forEach((still, i) => {
      const probabilities = softmax(logits, i);
      const best = probabilities.indexOf(Math.max(...probabilities));
      expect(best === 1, `${still.name}: softmax ${probabilities.join(", ")}`).toBe(still.real);
    });
  });

  it("scores a face alike alone and in a batch", async () => {
    const batched = await runOnnx(stills, SILENTFACE_STILLS.length);
    const alone = await runOnnx(stills.subarray(PLANE, 2 * PLANE), 1);
    expect(maxAbsDiff(alone, batched.subarray(3, 6))).toBeLessThanOrEqual(1e-5);
  });

  it("is deterministic: two conversions are byte-identical", () => {
    expect(Buffer.from(convertSilentFaceToOnnx(pth, variant)).equals(Buffer.from(onnx))).toBe(true);
  });
});

describe("convertSilentFaceToOnnx on the wrong weights", () => {
  function failure(bytes: Uint8Array, variant: MiniFasNetVariant): LumenError {
    try {
      convertSilentFaceToOnnx(bytes, variant);
    } catch (err) {
      expect(err).toBeInstanceOf(LumenError);
      expect((err as LumenError).code).toBe("MODEL_SOURCE_INVALID");
      return err as LumenError;
    }
    throw new Error("expected the conversion to fail");
  }

  it("refuses the other variant's file, naming the first tensor that differs", async () => {
    const v1se = new Uint8Array(await readFile(new URL(MODELS[1].file, MODELS_DIR)));
    expect(failure(v1se, "MiniFASNetV2").message).toMatch(
      /^Not MiniFASNetV2 weights: conv_3\.model\.1\.conv\.conv\.weight has shape \[26,64,1,1\], expected \[13,64,1,1\]/,
    );
    const v2 = new Uint8Array(await readFile(new URL(MODELS[0].file, MODELS_DIR)));
    expect(failure(v2, "MiniFASNetV1SE").message).toMatch(/^Not MiniFASNetV1SE weights: /);
  });

  it("refuses bytes that are not a PyTorch file", () => {
    expect(failure(new TextEncoder().encode("not a torch file"), "MiniFASNetV2").message).toMatch(
      /magic number/,
    );
  });
});
