import { copyFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getModelSpec, loadVerifiedModel } from "@lumen/core";
import { LumenError } from "@lumen/protocol";
import { createFsModelSource, createOnnxSession } from "../src/index.ts";

const distDir = new URL("../../../models/dist/", import.meta.url).pathname;

async function failure(promise: Promise<unknown>): Promise<LumenError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LumenError);
  return err as LumenError;
}

describe("createFsModelSource", () => {
  it("loads the built MiniFASNet through the verified loader into onnxruntime", async () => {
    const spec = getModelSpec("minifasnet-v2-se");
    const bytes = await loadVerifiedModel(spec, createFsModelSource(distDir));
    const session = await createOnnxSession(bytes);
    expect(session.inputNames).toEqual(["input"]);
    expect(session.outputNames).toEqual(["output"]);
    await session.release();
  });

  it("refuses a model file with one byte flipped", async () => {
    const spec = getModelSpec("minifasnet-v2-se");
    const dir = await mkdtemp(join(tmpdir(), "lumen-models-"));
    const bytes = new Uint8Array(await readFile(join(distDir, spec.file)));
    bytes[1000] = (bytes[1000] ?? 0) ^ 0x01;
    await writeFile(join(dir, spec.file), bytes);
    const err = await failure(loadVerifiedModel(spec, createFsModelSource(dir)));
    expect(err.code).toBe("MODEL_INTEGRITY_FAILED");
  });

  it("refuses a file larger than the pin without reading it", async () => {
    const spec = getModelSpec("minifasnet-v2-se-int8");
    const dir = await mkdtemp(join(tmpdir(), "lumen-models-"));
    await copyFile(join(distDir, getModelSpec("minifasnet-v2-se").file), join(dir, spec.file));
    const err = await failure(loadVerifiedModel(spec, createFsModelSource(dir)));
    expect(err.code).toBe("MODEL_INTEGRITY_FAILED");
    expect(err.message).toContain("more than the pinned");
  });

  it("reports a missing file and refuses names with a path", async () => {
    const source = createFsModelSource(distDir);
    expect((await failure(source("absent.onnx", 10))).code).toBe("MODEL_NOT_FOUND");
    expect((await failure(source("../package.json", 10))).code).toBe("MODEL_NOT_FOUND");
  });

  it("refuses bytes onnxruntime cannot load with a typed error", async () => {
    const err = await failure(createOnnxSession(new TextEncoder().encode("not an onnx model")));
    expect(err.code).toBe("INFERENCE_FAILED");
  });
});
