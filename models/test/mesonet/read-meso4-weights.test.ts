import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { readKerasWeights, type KerasWeightsFile } from "../../src/hdf5/read-keras-weights.ts";
import { readMeso4Weights } from "../../src/mesonet/read-meso4-weights.ts";

const h5 = await readFile(
  new URL("../../../../shared/models/mesonet/Meso4_F2F.h5", import.meta.url),
);

describe("readKerasWeights", () => {
  it("reads layer names, weight names and shapes without the NUL padding h5py writes", () => {
    const file = readKerasWeights(h5);
    expect(file.kerasVersion).toBe("2.1.5");
    expect(file.backend).toBe("tensorflow");
    // save_weights() files hold no architecture.
    expect(file.modelConfig).toBeUndefined();
    // No leaky_re_lu layer, although classifiers.py's Meso4 has one: see readMeso4Weights.
    expect(file.layers.map((l) => l.name)).toEqual([
      "input_2",
      ...[4, 5, 6, 7].flatMap((n) => [
        `conv2d_${n + 1}`,
        `batch_normalization_${n + 1}`,
        `max_pooling2d_${n}`,
      ]),
      "flatten_1",
      "dropout_3",
      "dense_3",
      "dropout_4",
      "dense_4",
    ]);
    const bn = file.layers.find((l) => l.name.startsWith("batch_normalization"));
    expect(bn?.weights.map((w) => w.name.split("/")[1])).toEqual([
      "gamma:0",
      "beta:0",
      "moving_mean:0",
      "moving_variance:0",
    ]);
  });
});

describe("readMeso4Weights", () => {
  const file = readKerasWeights(h5);

  function failure(edited: KerasWeightsFile): LumenError {
    try {
      readMeso4Weights(edited);
    } catch (err) {
      expect(err).toBeInstanceOf(LumenError);
      expect((err as LumenError).code).toBe("MODEL_SOURCE_INVALID");
      return err as LumenError;
    }
    throw new Error("expected readMeso4Weights to fail");
  }

  it("takes every block's weights in Keras layout", () => {
    const weights = readMeso4Weights(file);
    expect(weights.blocks.map((b) => [b.conv.kernelShape, b.pool])).toEqual([
      [[3, 3, 3, 8], 2],
      [[5, 5, 8, 8], 2],
      [[5, 5, 8, 16], 2],
      [[5, 5, 16, 16], 4],
    ]);
    expect([weights.hidden.inputs, weights.hidden.units]).toEqual([1024, 16]);
    expect([weights.classifier.inputs, weights.classifier.units]).toEqual([16, 1]);
  });

  it("accepts a LeakyReLU layer, as classifiers.py's own model lists one", () => {
    const layers = [...file.layers];
    layers.splice(16, 0, { name: "leaky_re_lu_1", weights: [] });
    expect(() => readMeso4Weights({ layers })).not.toThrow();
  });

  it("refuses a missing layer, naming it", () => {
    const layers = file.layers.filter((l) => !l.name.startsWith("flatten"));
    expect(failure({ layers }).message).toMatch(/layer 13 is dropout_\d+, expected flatten_<n>/);
  });

  it("refuses an extra layer", () => {
    const layers = [...file.layers, { name: "dense_9", weights: [] }];
    expect(failure({ layers }).message).toMatch(/19 layers, expected 18/);
  });

  it("refuses a weight of the wrong shape", () => {
    const layers = file.layers.map((l) =>
      l.name.startsWith("dense") && l.weights[0]?.shape[0] === 16
        ? {
            ...l,
            weights: l.weights.map((w) => ({ ...w, shape: [w.shape.length === 2 ? 8 : 1, 2] })),
          }
        : l,
    );
    expect(failure({ layers }).message).toMatch(/has shape \[8,2\], expected \[16,1\]/);
  });

  it("refuses a layer without its weights", () => {
    const layers = file.layers.map((l) =>
      l.name.startsWith("batch_normalization") ? { ...l, weights: l.weights.slice(0, 3) } : l,
    );
    expect(failure({ layers }).message).toMatch(/has no moving_variance:0/);
  });
});
