import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import {
  applyAffine,
  bindOnnxFaceEmbeddingRunner,
  FACE_CHIP_LANDMARKS,
  FACE_CHIP_PADDING,
  FACE_CHIP_SIZE,
  FACE_EMBEDDING_LENGTH,
  faceChipInput,
  faceChipTransform,
  faceDistance,
  faceEmbedding,
  fitSimilarity,
  invertAffine,
  type AffineTransform,
  type FaceEmbeddingRunner,
  type OnnxOutputLike,
  type PixelPoint,
  type RgbaImage,
} from "../src/index.ts";
import fixture from "./fixtures/frontal-face-mesh.json" with { type: "json" };

// A similarity with every part non-trivial: 23° rotation, scale 2.5, a shift.
const ANGLE = (23 * Math.PI) / 180;
const KNOWN: AffineTransform = {
  a: 2.5 * Math.cos(ANGLE),
  b: 2.5 * Math.sin(ANGLE),
  c: -2.5 * Math.sin(ANGLE),
  d: 2.5 * Math.cos(ANGLE),
  e: 310.25,
  f: -42.5,
};

const SOURCE: PixelPoint[] = [
  { x: 10, y: 20 },
  { x: 90, y: 25 },
  { x: 50, y: 80 },
  { x: 35, y: 60 },
  { x: 70, y: 55 },
];

function expectTransform(actual: AffineTransform, expected: AffineTransform, digits = 9): void {
  for (const key of ["a", "b", "c", "d", "e", "f"] as const) {
    expect(actual[key]).toBeCloseTo(expected[key], digits);
  }
}

function squaredError(t: AffineTransform, from: PixelPoint[], to: PixelPoint[]): number {
  return from.reduce((sum, p, i) => {
    const q = applyAffine(t, p);
    return sum + (q.x - (to[i]?.x ?? 0)) ** 2 + (q.y - (to[i]?.y ?? 0)) ** 2;
  }, 0);
}

// dlib's template positions in chip pixels, centre-of-pixel convention (see face-chip.ts).
const CHIP_POINTS = FACE_CHIP_LANDMARKS.map(({ template }) => ({
  x: ((FACE_CHIP_PADDING + template.x) / (1 + 2 * FACE_CHIP_PADDING)) * FACE_CHIP_SIZE + 0.5,
  y: ((FACE_CHIP_PADDING + template.y) / (1 + 2 * FACE_CHIP_PADDING)) * FACE_CHIP_SIZE + 0.5,
}));

/** A 468-point mesh whose five chip landmarks sit where `chipToFrame` puts the template. */
function meshFor(chipToFrame: AffineTransform): Float32Array {
  const points = new Float32Array(468 * 3);
  FACE_CHIP_LANDMARKS.forEach(({ mesh }, i) => {
    const p = applyAffine(chipToFrame, CHIP_POINTS[i] ?? { x: 0, y: 0 });
    points.set([p.x, p.y, 0], mesh * 3);
  });
  return points;
}

const FRONTAL = Float32Array.from(fixture.points);

describe("fitSimilarity", () => {
  it("recovers a known rotation, scale and translation exactly", () => {
    const target = SOURCE.map((p) => applyAffine(KNOWN, p));
    expectTransform(fitSimilarity(SOURCE, target), KNOWN);
  });

  it("recovers a half-turn, which no reflection can mimic", () => {
    const halfTurn = { a: -1, b: 0, c: 0, d: -1, e: 5, f: 7 };
    expectTransform(
      fitSimilarity(
        SOURCE,
        SOURCE.map((p) => applyAffine(halfTurn, p)),
      ),
      halfTurn,
    );
  });

  it("is the least-squares fit when the points do not fit exactly", () => {
    const noise = [0.8, -1.1, 0.3, 1.4, -0.6, 0.2, -0.9, 0.5, 1.0, -1.3];
    const target = SOURCE.map((p, i) => {
      const q = applyAffine(KNOWN, p);
      return { x: q.x + (noise[2 * i] ?? 0), y: q.y + (noise[2 * i + 1] ?? 0) };
    });
    const fit = fitSimilarity(SOURCE, target);
    const best = squaredError(fit, SOURCE, target);
    expect(best).toBeLessThan(squaredError(KNOWN, SOURCE, target));
    // Nudging any similarity parameter (rotation-scale a, b or the shift e, f) only adds error.
    for (const [da, db, de, df] of [
      [1e-3, 0, 0, 0],
      [-1e-3, 0, 0, 0],
      [0, 1e-3, 0, 0],
      [0, -1e-3, 0, 0],
      [0, 0, 1e-2, 0],
      [0, 0, 0, -1e-2],
    ] as const) {
      const a = fit.a + da;
      const b = fit.b + db;
      const nudged = { a, b, c: -b, d: a, e: fit.e + de, f: fit.f + df };
      expect(squaredError(nudged, SOURCE, target)).toBeGreaterThan(best);
    }
    expect(fit.c).toBe(-fit.b);
    expect(fit.d).toBe(fit.a);
  });

  it("refuses degenerate or malformed input", () => {
    const one = [{ x: 1, y: 2 }];
    expect(() => fitSimilarity(one, one)).toThrow(/at least 2/);
    expect(() => fitSimilarity(SOURCE, SOURCE.slice(1))).toThrow(/paired/);
    const same = SOURCE.map(() => ({ x: 4, y: 4 }));
    expect(() => fitSimilarity(same, SOURCE)).toThrow(/source points coincide/);
    expect(() => fitSimilarity(SOURCE, same)).toThrow(/target points coincide/);
    const nan = SOURCE.map((p, i) => (i === 2 ? { x: Number.NaN, y: p.y } : p));
    expect(() => fitSimilarity(SOURCE, nan)).toThrow(/not finite/);
    expect(() => fitSimilarity(nan, SOURCE)).toThrow(RangeError);
    // A square and its mirror image, point for point: no rotation lines them up.
    const square = [
      { x: -1, y: -1 },
      { x: 1, y: -1 },
      { x: 1, y: 1 },
      { x: -1, y: 1 },
    ];
    const mirrored = square.map(({ x, y }) => ({ x, y: -y }));
    expect(() => fitSimilarity(square, mirrored)).toThrow(/do not correspond/);
  });
});

describe("faceChipTransform", () => {
  it("is the similarity that puts the five landmarks on dlib's template", () => {
    expectTransform(faceChipTransform(meshFor(KNOWN)), KNOWN, 3);
  });

  it("levels and centres a real frontal face", () => {
    const chipToFrame = faceChipTransform(FRONTAL);
    // Roll is near 0 on this frontal frame, so the chip is hardly turned.
    expect(Math.abs(Math.atan2(chipToFrame.b, chipToFrame.a))).toBeLessThan(0.1);
    // Each mesh landmark lands within a few chip pixels of its template spot (faces differ
    // from dlib's mean face, so not exactly).
    const frameToChip = invertAffine(chipToFrame);
    FACE_CHIP_LANDMARKS.forEach(({ mesh }, i) => {
      const p = applyAffine(frameToChip, {
        x: FRONTAL[mesh * 3] ?? 0,
        y: FRONTAL[mesh * 3 + 1] ?? 0,
      });
      const q = CHIP_POINTS[i] ?? { x: 0, y: 0 };
      expect(Math.hypot(p.x - q.x, p.y - q.y)).toBeLessThan(5);
    });
  });

  it("refuses a short or broken mesh", () => {
    expect(() => faceChipTransform(new Float32Array(5 * 3))).toThrow(/468 mesh landmarks/);
    const flat = new Float32Array(468 * 3);
    expect(() => faceChipTransform(flat)).toThrow(/degenerate/);
    const broken = FRONTAL.slice();
    broken[33 * 3] = Number.NaN;
    expect(() => faceChipTransform(broken)).toThrow(/not finite/);
  });
});

describe("faceChipInput", () => {
  const grey: RgbaImage = {
    width: 512,
    height: 512,
    data: new Uint8Array(512 * 512 * 4).fill(200),
  };

  it("gives a 150×150 CHW chip of raw 0..255 values", () => {
    const chip = faceChipInput(grey, FRONTAL);
    expect(chip).toHaveLength(3 * FACE_CHIP_SIZE * FACE_CHIP_SIZE);
    expect(chip.every((v) => v === 200)).toBe(true);
  });

  it("is black where the chip reaches past the frame, as dlib's chips are", () => {
    // The face's template sits in the top-left corner of the frame: most of the chip's
    // top-left is outside.
    const corner = meshFor({ a: 1, b: 0, c: 0, d: 1, e: -60, f: -60 });
    const chip = faceChipInput(grey, corner);
    expect(chip[0]).toBe(0);
    expect(chip[FACE_CHIP_SIZE * FACE_CHIP_SIZE - 1]).toBe(200);
  });

  it("refuses a malformed image", () => {
    const bad = { width: 10, height: 10, data: new Uint8Array(3) };
    expect(() => faceChipInput(bad, FRONTAL)).toThrow(LumenError);
  });
});

describe("faceEmbedding", () => {
  const frame: RgbaImage = { width: 512, height: 512, data: new Uint8Array(512 * 512 * 4) };
  const embeddingOf =
    (values: ArrayLike<number>, seen: Float32Array[] = []): FaceEmbeddingRunner =>
    (input) => {
      seen.push(input);
      return Promise.resolve(values);
    };

  it("runs the model on the chip and returns its 128 values", async () => {
    const seen: Float32Array[] = [];
    const values = Array.from({ length: FACE_EMBEDDING_LENGTH }, (_, i) => i / 100);
    const embedding = await faceEmbedding(frame, FRONTAL, embeddingOf(values, seen));
    expect(embedding).toBeInstanceOf(Float32Array);
    expect([...embedding]).toEqual(values.map(Math.fround));
    expect(seen[0]).toEqual(faceChipInput(frame, FRONTAL));
  });

  it("refuses an output of the wrong length or not finite", async () => {
    await expect(faceEmbedding(frame, FRONTAL, embeddingOf([1, 2]))).rejects.toThrow(
      /128 values, got 2/,
    );
    const nan = new Float32Array(FACE_EMBEDDING_LENGTH).fill(Number.NaN);
    await expect(faceEmbedding(frame, FRONTAL, embeddingOf(nan))).rejects.toThrow(/not finite/);
  });

  it("does not run the model for bad landmarks", async () => {
    const never: FaceEmbeddingRunner = () => Promise.reject(new Error("must not run"));
    await expect(faceEmbedding(frame, new Float32Array(9), never)).rejects.toThrow(RangeError);
  });
});

describe("bindOnnxFaceEmbeddingRunner", () => {
  it("feeds [1, 3, 150, 150] and reads the embedding output", async () => {
    interface FakeTensor {
      readonly data: Float32Array;
      readonly dims: readonly number[];
    }
    const seen: FakeTensor[] = [];
    const embedding: OnnxOutputLike = { type: "float32", data: new Float32Array([1, 2]) };
    const run = bindOnnxFaceEmbeddingRunner<FakeTensor>(
      {
        run: (feeds) => {
          if (feeds.input) seen.push(feeds.input);
          return Promise.resolve({ embedding });
        },
      },
      (data, dims) => ({ data, dims }),
    );
    const input = new Float32Array(3);
    expect(await run(input)).toBe(embedding.data);
    expect(seen).toEqual([{ data: input, dims: [1, 3, 150, 150] }]);
  });

  it("refuses a session without a float32 embedding with INFERENCE_FAILED", async () => {
    const run = bindOnnxFaceEmbeddingRunner(
      { run: () => Promise.resolve({ output: { type: "float32", data: new Float32Array(128) } }) },
      (data) => data,
    );
    await expect(run(new Float32Array(3))).rejects.toMatchObject({ code: "INFERENCE_FAILED" });
  });
});

describe("faceDistance", () => {
  it("is the Euclidean distance", () => {
    expect(faceDistance([0, 0, 0], [1, 2, 2])).toBe(3);
    expect(faceDistance(new Float32Array([0.5, 0.5]), new Float32Array([0.5, 0.5]))).toBe(0);
  });

  it("refuses embeddings of different or zero length, or not finite", () => {
    expect(() => faceDistance([1, 2], [1, 2, 3])).toThrow(/same non-zero length/);
    expect(() => faceDistance([], [])).toThrow(/same non-zero length/);
    expect(() => faceDistance([1, Number.NaN], [1, 2])).toThrow(/finite/);
    expect(() => faceDistance([1, Number.POSITIVE_INFINITY], [1, 2])).toThrow(/finite/);
  });
});
