import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSIVE_MODELS } from "@lumen/core";
import {
  loadPassiveModelDeclarations,
  PASSIVE_MODEL_DECLARATION_LIMITS,
} from "../src/config/passive-model-declarations.ts";
import {
  MINIFASNET_FILE,
  minifasnetDeclaration,
  OPERATOR_MODEL_ID,
  writeDeclarations,
} from "./support/operator-model.ts";

let root: string;
let cases = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lumen-passive-models-"));
  await mkdir(join(root, "models"));
  await copyFile(MINIFASNET_FILE, join(root, "models", "bank-pad.onnx"));
  const tampered = await readFile(MINIFASNET_FILE);
  const middle = tampered.length >> 1;
  tampered.writeUInt8((tampered.readUInt8(middle) ^ 0x01) & 0xff, middle);
  await writeFile(join(root, "models", "tampered.onnx"), tampered);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes `declarations` into a fresh folder next to `models/` and loads them. */
async function load(declarations: unknown, raw?: string) {
  const dir = join(root, `case-${++cases}`);
  await mkdir(dir);
  const path = await writeDeclarations(dir, declarations);
  if (raw !== undefined) await writeFile(path, raw);
  return loadPassiveModelDeclarations(path);
}

const declared = (over: Record<string, unknown> = {}) => ({ ...minifasnetDeclaration(), ...over });

describe("loadPassiveModelDeclarations", () => {
  it("turns a declaration into a pinned model file, its reading and its fusion term", async () => {
    const [operator, ...rest] = await load([declared({ file: "../models/bank-pad.onnx" })]);
    expect(rest).toEqual([]);
    const shipped = PASSIVE_MODELS["minifasnet-v2-se"];
    expect(operator?.model).toEqual({ ...shipped, id: OPERATOR_MODEL_ID });
    expect(operator?.spec).toMatchObject({
      id: OPERATOR_MODEL_ID,
      file: "bank-pad.onnx",
      format: "onnx",
      version: "operator",
      input: { name: "input", shape: [-1, 3, 128, 128], layout: "NCHW", colourOrder: "RGB" },
    });
    expect(operator?.directory).toBe(join(root, "models"));
    expect(operator?.fusion).toEqual({ weight: 0.5, mean: 3.7, std: 7.4 });
  });

  it("refuses a file that is missing, not JSON or too large", async () => {
    const missing = loadPassiveModelDeclarations(join(root, "nowhere.json"));
    await expect(missing).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(missing).rejects.toThrow("the file cannot be read");
    await expect(load(null, "[{")).rejects.toThrow("the file is not JSON");
    const big = " ".repeat(PASSIVE_MODEL_DECLARATION_LIMITS.maxFileBytes + 1);
    await expect(load(null, big)).rejects.toThrow(/has 65537 bytes, more than 65536/);
  });

  it.each([
    ["no model", [], "(top level): Too small"],
    [
      "too many models",
      Array.from({ length: 5 }, (_, i) => declared({ id: `m${i}` })),
      "(top level): Too big",
    ],
    ["a bad id", [declared({ id: "Bank PAD" })], "[0].id: must be 1-64 characters"],
    ["a shipped id", [declared({ id: "hyperfas" })], "[0].id: is a shipped model's id"],
    ["a catalog id", [declared({ id: "face-detector" })], "[0].id: is a shipped model's id"],
    ["a bad sha256", [declared({ sha256: "AB".repeat(32) })], "[0].sha256: must be 64 lowercase"],
    ["a bad size", [declared({ bytes: 0 })], "[0].bytes: Too small"],
    [
      "a bad input size",
      [declared({ input: { ...(minifasnetDeclaration().input as object), size: 8 } })],
      "[0].input.size: Too small",
    ],
    ["an unknown key", [declared({ threshold: 0.5 })], '[0]: Unrecognized key: "threshold"'],
    [
      "an unknown nested key",
      [declared({ fusion: { weight: 1, mean: 0, std: 1, bias: 2 } })],
      '[0].fusion: Unrecognized key: "bias"',
    ],
    ["a std of 0", [declared({ fusion: { weight: 1, mean: 0, std: 0 } })], "[0].fusion.std"],
    [
      "a logit margin of one output",
      [
        declared({
          output: { name: "output", reading: { kind: "logit-margin", real: 1, attack: 1 } },
        }),
      ],
      "[0].output.reading.attack: real and attack must be different outputs",
    ],
    [
      "a softmax class out of range",
      [declared({ output: { name: "output", reading: { kind: "softmax", real: 3, classes: 3 } } })],
      "[0].output.reading.real: must be below classes",
    ],
    [
      "an unknown reading",
      [declared({ output: { name: "output", reading: { kind: "tanh" } } })],
      "[0].output.reading.kind",
    ],
  ])("refuses %s with CONFIG_INVALID naming the field", async (_, declarations, message) => {
    const attempt = load(declarations);
    await expect(attempt).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(attempt).rejects.toThrow(message);
  });

  it("refuses an id declared twice and a missing model file", async () => {
    await expect(load([declared(), declared()])).rejects.toThrow(
      `[1].id: "${OPERATOR_MODEL_ID}" is declared twice`,
    );
    const missing = load([declared({ file: "../models/nowhere.onnx" })]);
    await expect(missing).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(missing).rejects.toThrow(
      `[0].file: ${join(root, "models", "nowhere.onnx")} does not exist`,
    );
  });

  it("refuses a file that does not match its pin", async () => {
    const tampered = load([declared({ file: "../models/tampered.onnx" })]);
    await expect(tampered).rejects.toMatchObject({ code: "MODEL_INTEGRITY_FAILED" });
    await expect(tampered).rejects.toThrow(/\[0\]\.file: .* has SHA-256 [0-9a-f]{64}, expected/);
    const wrongSize = load([declared({ bytes: 1000 })]);
    await expect(wrongSize).rejects.toMatchObject({ code: "MODEL_INTEGRITY_FAILED" });
    const wrongPin = load([declared({ sha256: "0".repeat(64) })]);
    await expect(wrongPin).rejects.toThrow(/expected 0{64}/);
  });

  it("refuses tensor names the model does not have", async () => {
    const input = { ...(minifasnetDeclaration().input as object), name: "pixels" };
    await expect(load([declared({ input })])).rejects.toThrow(
      '[0].input.name: the model has no input "pixels"',
    );
    const output = { name: "scores", reading: { kind: "sigmoid", positive: "real" } };
    await expect(load([declared({ output })])).rejects.toThrow(
      '[0].output.name: the model has no output "scores"',
    );
  });
});
