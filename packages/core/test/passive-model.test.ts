import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import {
  extendPassiveFusion,
  fusePassive,
  logOdds,
  PASSIVE_FUSION,
  PASSIVE_MODELS,
  passiveCropRect,
  passiveFeatures,
  passiveInputKey,
  passiveModelInput,
  passiveModelScore,
  type FrameEvidence,
  type PassiveModel,
  type RgbaImage,
} from "../src/index.ts";

const minifasnet = PASSIVE_MODELS["minifasnet-v2-se"];
const silentFace = PASSIVE_MODELS["silentface-minifasnet-v2"];
const mesonet = PASSIVE_MODELS["mesonet4-df"];

describe("passiveModelScore", () => {
  it("reads a logit margin as real minus attack", () => {
    expect(passiveModelScore([2.5, -1], minifasnet)).toBe(3.5);
    expect(passiveModelScore(new Float32Array([-1, 3]), minifasnet)).toBe(-4);
  });

  it("reads a softmax as the real class's log-odds against all others", () => {
    // Classes 0 and 2 at log(1) and log(3): p(real) = 4 / 8, log-odds 0.
    expect(passiveModelScore([0, Math.log(4), Math.log(3)], silentFace)).toBeCloseTo(0, 12);
    const score = passiveModelScore([1, 5, -2], silentFace);
    const p = Math.exp(5) / (Math.exp(1) + Math.exp(5) + Math.exp(-2));
    expect(score).toBeCloseTo(Math.log(p / (1 - p)), 10);
    // Stable where a naive exp overflows.
    expect(passiveModelScore([1000, 1001, 990], silentFace)).toBeCloseTo(
      1 - Math.log1p(Math.exp(-10)),
      6,
    );
  });

  it("reads a sigmoid as log-odds of real, turned round for an attack probability", () => {
    expect(passiveModelScore([0.8], mesonet)).toBeCloseTo(Math.log(4), 12);
    const attack: PassiveModel = { ...mesonet, output: { kind: "sigmoid", positive: "attack" } };
    expect(passiveModelScore([0.8], attack)).toBeCloseTo(-Math.log(4), 12);
    expect(passiveModelScore([1], mesonet)).toBe(logOdds(1));
    expect(Number.isFinite(logOdds(0))).toBe(true);
  });

  it("refuses outputs of the wrong length, non-finite values and non-probabilities", () => {
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (err) {
        return err instanceof LumenError ? err.code : "other";
      }
      return undefined;
    };
    expect(code(() => passiveModelScore([1], minifasnet))).toBe("INFERENCE_FAILED");
    expect(code(() => passiveModelScore([1, 2], silentFace))).toBe("INFERENCE_FAILED");
    expect(code(() => passiveModelScore([Number.NaN, 1], minifasnet))).toBe("INFERENCE_FAILED");
    expect(code(() => passiveModelScore([1.5], mesonet))).toBe("INFERENCE_FAILED");
    expect(code(() => passiveModelScore([0.2, 0.8], mesonet))).toBe("INFERENCE_FAILED");
  });
});

describe("passiveCropRect", () => {
  const box = { x: 200, y: 150, width: 100, height: 120 };

  it("makes a square of the longer side for square crops", () => {
    expect(passiveCropRect(box, { kind: "square", scale: 1.5 }, 640, 480)).toEqual({
      x: 160,
      y: 120,
      width: 180,
      height: 180,
    });
  });

  it("scales the box in place when it fits, as Silent-Face's CropImage", () => {
    // 2x: 200x240 about (250, 210) → left 150, top 90, right 350, bottom 330, inclusive.
    expect(passiveCropRect(box, { kind: "inside-frame", scale: 2 }, 640, 480)).toEqual({
      x: 150,
      y: 90,
      width: 201,
      height: 241,
    });
  });

  it("shrinks the scale to the frame and shifts the box inside it", () => {
    // 4x would be 480 tall in a 480 frame: the scale drops to 479/120, the box moves up to 0.
    const rect = passiveCropRect(box, { kind: "inside-frame", scale: 4 }, 640, 480);
    expect(rect.y).toBe(0);
    expect(rect.y + rect.height - 1).toBeLessThanOrEqual(479);
    expect(rect.x).toBeGreaterThanOrEqual(0);
    const corner = passiveCropRect(
      { x: 590, y: 10, width: 40, height: 40 },
      { kind: "inside-frame", scale: 2.7 },
      640,
      480,
    );
    expect(corner.x + corner.width - 1).toBe(639);
    expect(corner.y).toBe(0);
  });
});

describe("passiveModelInput", () => {
  // A 2x2 image: red, green / blue, white.
  const image: RgbaImage = {
    width: 2,
    height: 2,
    data: new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]),
  };
  const whole = { x: 0, y: 0, width: 2, height: 2 };
  const base: PassiveModel = {
    ...minifasnet,
    crop: { kind: "square", scale: 1 },
    size: 2,
    scale: 1,
    offset: 0,
  };

  it("feeds RGB planes scaled and offset", () => {
    const input = passiveModelInput(image, whole, { ...base, scale: 2 / 255, offset: -1 });
    expect(Array.from(input)).toEqual([1, -1, -1, 1, -1, 1, -1, 1, -1, -1, 1, 1]);
  });

  it("swaps to BGR planes and to NHWC when the model says so", () => {
    const bgr = passiveModelInput(image, whole, { ...base, colourOrder: "BGR" });
    expect(Array.from(bgr.subarray(0, 4))).toEqual([0, 0, 255, 255]);
    const nhwc = passiveModelInput(image, whole, { ...base, layout: "NHWC" });
    expect(Array.from(nhwc.subarray(0, 6))).toEqual([255, 0, 0, 0, 255, 0]);
  });
});

describe("passiveInputKey", () => {
  it("is shared by models fed alike and differs with anything that changes the input", () => {
    const mesonets = [
      PASSIVE_MODELS["mesonet4-df"],
      PASSIVE_MODELS["mesonet4-f2f"],
      PASSIVE_MODELS["mesoinception4-df"],
      PASSIVE_MODELS["mesoinception4-f2f"],
    ];
    expect(new Set(mesonets.map(passiveInputKey)).size).toBe(1);
    const key = passiveInputKey(mesonet);
    for (const change of [
      { crop: { kind: "inside-frame", scale: mesonet.crop.scale } },
      { crop: { kind: mesonet.crop.kind, scale: mesonet.crop.scale + 0.1 } },
      { size: mesonet.size + 1 },
      { layout: "NHWC" },
      { colourOrder: "BGR" },
      { scale: 1 },
      { offset: 0.5 },
    ] as const) {
      expect(passiveInputKey({ ...mesonet, ...change })).not.toBe(key);
    }
    // The model's identity and output do not change its input.
    expect(passiveInputKey({ ...mesonet, id: "other", outputName: "y" })).toBe(key);
  });
});

describe("passiveFeatures and fusePassive", () => {
  const frame = (passive: Record<string, number> | null): FrameEvidence => ({
    capturedAt: 0,
    faceCount: passive ? 1 : 0,
    face: passive && {
      box: { x: 0, y: 0, width: 1, height: 1 },
      detectionScore: 1,
      liveness: 0,
      realness: 0.5,
      passive,
      pose: { yawDegrees: 0, pitchDegrees: 0, rollDegrees: 0 },
      light: null,
      embedding: null,
      luma: 100,
      sharpness: 5,
      faceSize: 0.4,
    },
  });

  it("takes each model's median over face frames, null when a model never scored", () => {
    const frames = [frame({ a: 1, b: 5 }), frame(null), frame({ a: 3, b: 7 }), frame({ a: 2 })];
    expect(passiveFeatures(frames, ["a", "b"])).toEqual([2, 6]);
    expect(passiveFeatures(frames, ["a", "c"])).toBeNull();
  });

  it("applies standardised weights and the intercept, and refuses a wrong-length vector", () => {
    const fusion = { means: [1, 0], stds: [2, 1], weights: [4, -1], intercept: 0.5 };
    expect(fusePassive([3, 2], fusion)).toBe(0.5 + 4 * 1 - 2);
    expect(() => fusePassive([3], fusion)).toThrow(RangeError);
  });
});

describe("extendPassiveFusion", () => {
  const term = { feature: "bank-pad", weight: 0.8, mean: 2, std: 4 };

  it("appends a term to the pinned fusion, keeping its intercept and operating points", () => {
    const fusion = extendPassiveFusion(PASSIVE_FUSION, [term]);
    expect(fusion.features).toEqual([...PASSIVE_FUSION.features, "bank-pad"]);
    expect(fusion.means.at(-1)).toBe(2);
    expect(fusion.stds.at(-1)).toBe(4);
    expect(fusion.weights.at(-1)).toBe(0.8);
    expect(fusion.intercept).toBe(PASSIVE_FUSION.intercept);
    expect(fusion.operatingPoints).toBe(PASSIVE_FUSION.operatingPoints);
    // The term adds weight · (x − mean) / std to the pinned fusion's score.
    const pinned = PASSIVE_FUSION.means.map((mean) => mean + 1);
    expect(fusePassive([...pinned, 10], fusion)).toBeCloseTo(
      fusePassive(pinned, PASSIVE_FUSION) + (0.8 * (10 - 2)) / 4,
      12,
    );
    expect(extendPassiveFusion(PASSIVE_FUSION, [])).toEqual(PASSIVE_FUSION);
  });

  it.each([
    [[{ ...term, feature: "hyperfas" }], 'already has a feature "hyperfas"'],
    [[term, term], 'already has a feature "bank-pad"'],
    [[{ ...term, std: 0 }], "positive std"],
    [[{ ...term, weight: Number.NaN }], "finite weight"],
  ])("refuses %j", (terms, message) => {
    expect(() => extendPassiveFusion(PASSIVE_FUSION, terms)).toThrow(TypeError);
    expect(() => extendPassiveFusion(PASSIVE_FUSION, terms)).toThrow(message);
  });
});
