import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getModelSpec, loadVerifiedModel, MODEL_CATALOG, sha256Hex } from "@lumen/core";
import { LumenError } from "@lumen/protocol";
import { buildModels, type ModelManifest } from "../src/build-models.ts";
import { MODEL_RECIPES } from "../src/model-recipes.ts";
import type { SourceLocations } from "../src/sources/resolve-source.ts";

const mirrorDir = new URL("../../../shared/models", import.meta.url).pathname;

function locations(): SourceLocations {
  return {
    mirrorDir,
    cacheDir: join(tmpdir(), "lumen-no-cache"),
    fetch: () => Promise.reject(new TypeError("offline")),
    requireFrom: new URL("../package.json", import.meta.url).pathname,
  };
}

async function build(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), "lumen-build-"));
  await buildModels(MODEL_RECIPES, { ...locations(), outDir, acceptNewPins: false });
  return outDir;
}

describe("buildModels", () => {
  let first: string;
  let second: string;
  beforeAll(async () => {
    first = await build();
    second = await build();
  });

  it("builds every catalogued model, matching its pin", async () => {
    expect(MODEL_RECIPES.map((recipe) => recipe.id)).toEqual(MODEL_CATALOG.map((spec) => spec.id));
    for (const spec of MODEL_CATALOG) {
      const bytes = new Uint8Array(await readFile(join(first, spec.file)));
      expect(bytes.byteLength).toBe(spec.bytes);
      expect(await sha256Hex(bytes)).toBe(spec.sha256);
    }
  });

  it("gives byte-identical files on a second build", async () => {
    const files = (await readdir(first)).sort();
    expect(files).toEqual((await readdir(second)).sort());
    expect(files).toContain("manifest.json");
    for (const file of files) {
      expect(
        Buffer.compare(await readFile(join(first, file)), await readFile(join(second, file))),
        file,
      ).toBe(0);
    }
  });

  it("writes a manifest with origins, licences, sources and input specs", async () => {
    const manifest = JSON.parse(
      await readFile(join(first, "manifest.json"), "utf8"),
    ) as ModelManifest;
    expect(manifest.schemaVersion).toBe(1);
    const minifasnet = manifest.models.find((model) => model.id === "minifasnet-v2-se");
    expect(minifasnet?.sources[0]?.origin).toContain("johnraivenolazo/suri-liveness@2b9830b");
    expect(minifasnet?.sources[0]?.url).toMatch(/^https:\/\/github\.com\//);
    expect(minifasnet?.input.crop).toContain("1.5x");
    const faceRecognition = manifest.models.find(
      (model) => model.id === "face-recognition-resnet29",
    );
    expect(faceRecognition?.licence).toBe("LicenseRef-dlib-models-public-domain AND MIT");
    expect(faceRecognition?.sources.map((source) => source.origin)).toEqual([
      "npm @vladmandic/face-api@1.7.15, model/face_recognition_model-weights_manifest.json",
      "npm @vladmandic/face-api@1.7.15, model/face_recognition_model.bin",
    ]);
    for (const model of manifest.models) {
      const spec = getModelSpec(model.id);
      expect(model.licence).toBe(spec.licence);
      expect(model.sha256).toBe(spec.sha256);
      for (const source of model.sources) {
        expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(source.licence).toBe(model.licence);
      }
    }
  });

  it("hands every built model to the verified loader, and refuses it with one byte changed", async () => {
    for (const spec of MODEL_CATALOG) {
      const bytes = new Uint8Array(await readFile(join(first, spec.file)));
      expect(await loadVerifiedModel(spec, () => Promise.resolve(bytes))).toBe(bytes);
      const tampered = bytes.slice();
      const middle = tampered.length >> 1;
      tampered[middle] = (tampered[middle] ?? 0) ^ 0x01;
      const err = await loadVerifiedModel(spec, () => Promise.resolve(tampered)).catch(
        (e: unknown) => e,
      );
      expect(err, spec.id).toBeInstanceOf(LumenError);
      expect((err as LumenError).code, spec.id).toBe("MODEL_INTEGRITY_FAILED");
    }
  });

  it("fails when a model drifts from its pin", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lumen-build-"));
    const recipe = MODEL_RECIPES.find((candidate) => candidate.id === "minifasnet-v2-se");
    if (!recipe) throw new Error("no MiniFASNet recipe");
    const drifting = {
      ...recipe,
      build: (sources: readonly Uint8Array[]) => recipe.build(sources).slice(1),
    };
    const err = await buildModels([drifting], {
      ...locations(),
      outDir,
      acceptNewPins: false,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LumenError);
    expect((err as LumenError).code).toBe("MODEL_INTEGRITY_FAILED");
    expect((err as LumenError).message).toContain("--update-pins");
    await expect(readFile(join(outDir, "minifasnet-v2-se.onnx"))).rejects.toThrow();
  });

  it("fails when a mirrored source is missing, naming the file and where it looked", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lumen-build-"));
    const emptyMirror = await mkdtemp(join(tmpdir(), "lumen-mirror-"));
    const err = await buildModels(MODEL_RECIPES, {
      ...locations(),
      mirrorDir: emptyMirror,
      outDir,
      acceptNewPins: false,
    }).catch((e: unknown) => e);
    expect((err as LumenError).code).toBe("MODEL_NOT_FOUND");
    expect((err as LumenError).message).toContain("minifasnet-v2-se.onnx");
    expect((err as LumenError).message).toContain(
      join(emptyMirror, "minifasnet/minifasnet-v2-se.onnx"),
    );
  });
});
