import { describe, expect, it } from "vitest";
import { buildImageModelMetadata } from "../../src/tflite/build-image-model-metadata.ts";
import { FlatbufferView } from "../../src/tflite/flatbuffer-view.ts";

describe("buildImageModelMetadata", () => {
  it("writes an M001 ModelMetadata with RGB image properties and normalization on input 0", () => {
    const bytes = buildImageModelMetadata({
      name: "face_detector",
      description: "d",
      inputName: "input",
      mean: [127.5],
      std: [127.5],
      outputNames: ["regressors", "classificators"],
    });
    const root = FlatbufferView.root(bytes, "M001");
    expect([root.string(0), root.string(1), root.string(7)]).toEqual([
      "face_detector",
      "d",
      "1.0.0",
    ]);
    const subgraph = root.tables(3)[0];
    const input = subgraph?.tables(2)[0];
    expect(input?.string(0)).toBe("input");
    expect(input?.table(3)?.uint8(0, 0)).toBe(2); // ContentProperties: ImageProperties
    expect(input?.table(3)?.table(1)?.int8(0, 0)).toBe(1); // ColorSpaceType: RGB
    const unit = input?.tables(4)[0];
    expect(unit?.uint8(0, 0)).toBe(1); // ProcessUnitOptions: NormalizationOptions
    expect([unit?.table(1)?.float32s(0), unit?.table(1)?.float32s(1)]).toEqual([[127.5], [127.5]]);
    expect(subgraph?.tables(3).map((t) => t.string(0))).toEqual(["regressors", "classificators"]);
  });
});
