import { describe, expect, it } from "vitest";
import { ERROR_CODES, LumenError } from "../src/index.ts";

describe("LumenError", () => {
  it("keeps its code, message and cause", () => {
    const cause = new Error("disk");
    const err = new LumenError("MODEL_NOT_FOUND", "face_landmarker.task is missing", { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe("MODEL_NOT_FOUND");
    expect(err.name).toBe("LumenError");
    expect(err.message).toBe("face_landmarker.task is missing");
    expect(err.cause).toBe(cause);
  });

  it("has a default message for every code", () => {
    for (const [code, { message, status }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(message.length).toBeGreaterThan(10);
    }
  });
});
