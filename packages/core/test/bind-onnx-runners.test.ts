import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { bindOnnxRunners, type OnnxOutputLike, type OnnxSessionLike } from "../src/index.ts";

interface FakeTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

function session(
  outputs: Record<string, OnnxOutputLike>,
  seen: FakeTensor[],
): OnnxSessionLike<FakeTensor> {
  return {
    run: (feeds) => {
      const input = feeds.input;
      if (input) seen.push(input);
      return Promise.resolve(outputs);
    },
  };
}

const f32 = (...values: number[]): OnnxOutputLike => ({
  type: "float32",
  data: new Float32Array(values),
});

describe("bindOnnxRunners", () => {
  it("feeds each model its NCHW input and reads its named outputs", async () => {
    const seen: FakeTensor[] = [];
    const runners = bindOnnxRunners(
      {
        detector: session({ regressors: f32(1), classificators: f32(2) }, seen),
        mesh: session({ landmarks: f32(3), face_flag: f32(4) }, seen),
        antiSpoof: session({ output: f32(5, 6) }, seen),
        deepfake: session({ output: f32(0.7) }, seen),
      },
      (data, dims) => ({ data, dims }),
    );
    const input = new Float32Array(1);
    expect(await runners.detector(input)).toEqual({
      regressors: f32(1).data,
      classificators: f32(2).data,
    });
    expect(await runners.mesh(input)).toEqual({ landmarks: f32(3).data, faceFlag: f32(4).data });
    expect(Array.from(await runners.antiSpoof(input))).toEqual([5, 6]);
    expect(Array.from(await runners.deepfake(input))).toEqual([Math.fround(0.7)]);
    expect(seen.map((t) => t.dims)).toEqual([
      [1, 3, 128, 128],
      [1, 3, 192, 192],
      [1, 3, 128, 128],
      [1, 3, 256, 256],
    ]);
    expect(seen[0]?.data).toBe(input);
  });

  it("refuses a missing or non-float32 output with INFERENCE_FAILED", async () => {
    const runners = bindOnnxRunners(
      {
        detector: session({ regressors: f32(1) }, []),
        mesh: session(
          { landmarks: { type: "int32", data: new Int32Array(1) }, face_flag: f32(1) },
          [],
        ),
        antiSpoof: session({}, []),
        deepfake: session({}, []),
      },
      (data, dims) => ({ data, dims }),
    );
    for (const call of [runners.detector, runners.mesh, runners.antiSpoof]) {
      const err = await call(new Float32Array(1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LumenError);
      expect((err as LumenError).code).toBe("INFERENCE_FAILED");
    }
  });
});
