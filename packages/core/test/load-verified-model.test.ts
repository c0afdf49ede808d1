import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { loadVerifiedModel, sha256Hex, type ModelSpec } from "../src/index.ts";

const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);

async function specFor(content: Uint8Array): Promise<ModelSpec> {
  return {
    id: "test-model",
    version: "1",
    file: "test.onnx",
    format: "onnx",
    sha256: await sha256Hex(content),
    bytes: content.byteLength,
    licence: "Apache-2.0",
    input: {
      name: "input",
      shape: [1],
      layout: "NCHW",
      colourOrder: "RGB",
      normalisation: "none",
      crop: "none",
    },
    output: "none",
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LumenError);
  return (err as LumenError).code;
}

describe("loadVerifiedModel", () => {
  it("hands over bytes that match the pin, asking for at most the pinned size", async () => {
    const spec = await specFor(bytes);
    const asked: [string, number][] = [];
    const loaded = await loadVerifiedModel(spec, (file, maxBytes) => {
      asked.push([file, maxBytes]);
      return Promise.resolve(bytes);
    });
    expect(loaded).toBe(bytes);
    expect(asked).toEqual([["test.onnx", bytes.byteLength]]);
  });

  it("refuses a model with one byte flipped", async () => {
    const spec = await specFor(bytes);
    const tampered = bytes.slice();
    tampered[7] = (tampered[7] ?? 0) ^ 0x01;
    const err = await loadVerifiedModel(spec, () => Promise.resolve(tampered)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LumenError);
    expect((err as LumenError).code).toBe("MODEL_INTEGRITY_FAILED");
    expect((err as LumenError).message).toContain(spec.sha256);
  });

  it("refuses a model of another size", async () => {
    const spec = await specFor(bytes);
    const longer = new Uint8Array(bytes.byteLength + 1);
    longer.set(bytes);
    expect(await codeOf(loadVerifiedModel(spec, () => Promise.resolve(longer)))).toBe(
      "MODEL_INTEGRITY_FAILED",
    );
  });

  it("reports a failing source as MODEL_NOT_FOUND and keeps the cause", async () => {
    const spec = await specFor(bytes);
    const cause = new Error("404");
    const err = await loadVerifiedModel(spec, () => Promise.reject(cause)).catch((e: unknown) => e);
    expect((err as LumenError).code).toBe("MODEL_NOT_FOUND");
    expect((err as LumenError).cause).toBe(cause);
  });

  it("lets a typed error of the source through", async () => {
    const spec = await specFor(bytes);
    const typed = new LumenError("MODEL_INTEGRITY_FAILED", "too big");
    const err = await loadVerifiedModel(spec, () => Promise.reject(typed)).catch((e: unknown) => e);
    expect(err).toBe(typed);
  });
});

describe("sha256Hex", () => {
  it("matches the FIPS 180-2 test vector", async () => {
    expect(await sha256Hex(Uint8Array.of(0x61, 0x62, 0x63))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});
