import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ANALYSIS_MODEL_IDS, analysisModelsHash, getModelSpec } from "@lumen/core";

describe("analysisModelsHash", () => {
  it("is the SHA-256 of the analysis models' ids and pins as UTF-8 JSON, in runner order", async () => {
    const pins = ANALYSIS_MODEL_IDS.map((id) => ({ id, sha256: getModelSpec(id).sha256 }));
    const expected = createHash("sha256").update(JSON.stringify(pins), "utf8").digest("hex");
    expect(await analysisModelsHash()).toBe(expected);
    const reordered = createHash("sha256")
      .update(JSON.stringify([...pins].reverse()), "utf8")
      .digest("hex");
    expect(expected).not.toBe(reordered);
  });

  it("names the four models the frame analysis binds", () => {
    expect(ANALYSIS_MODEL_IDS).toEqual([
      "face-detector",
      "face-mesh",
      "minifasnet-v2-se",
      "mesonet4-df",
    ]);
  });
});
