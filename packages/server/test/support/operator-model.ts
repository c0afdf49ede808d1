import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getModelSpec, PASSIVE_MODELS } from "@lumen/core";
import { MODEL_DIR } from "./genuine-evidence.ts";

/** The id under which the tests declare the shipped MiniFASNet as an operator's own model. */
export const OPERATOR_MODEL_ID = "operator-minifasnet";

const minifasnet = PASSIVE_MODELS["minifasnet-v2-se"];
const spec = getModelSpec("minifasnet-v2-se");

/** The shipped MiniFASNet file, as an operator would point at their own. */
export const MINIFASNET_FILE = join(MODEL_DIR, spec.file);

/**
 * A `LUMEN_PASSIVE_MODELS` entry declaring the shipped `minifasnet-v2-se.onnx` as an operator's
 * own model (its pin, input and output as Lumen's), with `fusion` as given.
 */
export function minifasnetDeclaration(
  fusion: { readonly weight: number; readonly mean: number; readonly std: number } = {
    weight: 0.5,
    mean: 3.7,
    std: 7.4,
  },
): Record<string, unknown> {
  return {
    id: OPERATOR_MODEL_ID,
    file: MINIFASNET_FILE,
    sha256: spec.sha256,
    bytes: spec.bytes,
    licence: spec.licence,
    detects: minifasnet.detects,
    input: {
      name: minifasnet.inputName,
      size: minifasnet.size,
      layout: minifasnet.layout,
      colourOrder: minifasnet.colourOrder,
      scale: minifasnet.scale,
      offset: minifasnet.offset,
      crop: minifasnet.crop,
    },
    output: { name: minifasnet.outputName, reading: minifasnet.output },
    fusion,
  };
}

/** Writes `declarations` as `passive-models.json` into `dir` and returns its path. */
export async function writeDeclarations(dir: string, declarations: unknown): Promise<string> {
  const path = join(dir, "passive-models.json");
  await writeFile(path, JSON.stringify(declarations));
  return path;
}
