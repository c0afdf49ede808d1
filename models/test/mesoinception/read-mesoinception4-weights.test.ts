import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { readKerasWeights, type KerasWeightsFile } from "../../src/hdf5/read-keras-weights.ts";
import type { MesoConv } from "../../src/mesonet/meso-layer-weights.ts";
import {
  readMesoInception4Weights,
  type InceptionBlock,
} from "../../src/mesonet/read-mesoinception4-weights.ts";

const h5 = await readFile(
  new URL("../../../../shared/models/mesonet/MesoInception_F2F.h5", import.meta.url),
);
const file = readKerasWeights(h5);

function failure(edited: KerasWeightsFile): LumenError {
  try {
    readMesoInception4Weights(edited);
  } catch (err) {
    expect(err).toBeInstanceOf(LumenError);
    expect((err as LumenError).code).toBe("MODEL_SOURCE_INVALID");
    return err as LumenError;
  }
  throw new Error("expected readMesoInception4Weights to fail");
}

describe("readMesoInception4Weights", () => {
  it("lists the inception convolutions in Keras's saved (topological) order", () => {
    expect(file.layers.slice(0, 9).map((l) => l.name)).toEqual([
      "input_1",
      "conv2d_2",
      "conv2d_4",
      "conv2d_6",
      "conv2d_1",
      "conv2d_3",
      "conv2d_5",
      "conv2d_7",
      "concatenate_1",
    ]);
  });

  it("assigns each inception convolution to its branch", () => {
    const [first, second] = readMesoInception4Weights(file).inception;
    const shapes = (block: InceptionBlock | undefined) =>
      Object.fromEntries(
        Object.entries(block?.convs ?? {}).map(([k, c]: [string, MesoConv]) => [k, c.kernelShape]),
      );
    expect(shapes(first)).toEqual({
      a: [1, 1, 3, 1],
      bIn: [1, 1, 3, 4],
      b: [3, 3, 4, 4],
      cIn: [1, 1, 3, 4],
      c: [3, 3, 4, 4],
      dIn: [1, 1, 3, 2],
      d: [3, 3, 2, 2],
    });
    expect(shapes(second).a).toEqual([1, 1, 11, 2]);
    expect(second?.batchNorm.gamma.length).toBe(12);
    // conv2d_4 (branch c's 1x1) is saved second: it must not land in branch b.
    const conv2d4 = file.layers.find((l) => l.name === "conv2d_4")?.weights[0]?.values;
    expect(first?.convs.cIn.kernel).toBe(conv2d4);
  });

  it("refuses a missing layer, naming it", () => {
    const layers = file.layers.filter((l) => l.name !== "leaky_re_lu_1");
    expect(failure({ layers }).message).toMatch(/layer 30 is dropout_2, expected leaky_re_lu_<n>/);
  });

  it("refuses equally shaped convolutions in swapped order", () => {
    const layers = [...file.layers];
    [layers[1], layers[2]] = [layers[2], layers[1]] as [
      (typeof layers)[number],
      (typeof layers)[number],
    ];
    expect(failure({ layers }).message).toMatch(/are not in the order Keras saves/);
  });

  it("refuses a weight of the wrong shape", () => {
    const layers = file.layers.map((l) =>
      l.name === "conv2d_15"
        ? { ...l, weights: l.weights.map((w) => ({ ...w, shape: [...w.shape].reverse() })) }
        : l,
    );
    expect(failure({ layers }).message).toMatch(
      /conv2d_15\/kernel:0 has shape \[16,12,5,5\], expected \[5,5,12,16\]/,
    );
  });
});
