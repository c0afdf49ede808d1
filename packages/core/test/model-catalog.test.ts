import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { getModelSpec, MODEL_CATALOG } from "../src/index.ts";

describe("MODEL_CATALOG", () => {
  it("pins every model by a SHA-256 and a size", () => {
    const ids = MODEL_CATALOG.map((spec) => spec.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const spec of MODEL_CATALOG) {
      expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(spec.bytes).toBeGreaterThan(0);
      expect(spec.file).toMatch(/^[\w.-]+$/);
    }
  });

  it("refuses an unknown id with a typed error", () => {
    expect(() => getModelSpec("nope")).toThrow(LumenError);
    expect(getModelSpec("minifasnet-v2-se").input.shape).toEqual([-1, 3, 128, 128]);
  });
});
