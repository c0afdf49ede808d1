import { open, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { z } from "zod";
import {
  loadVerifiedModel,
  MODEL_CATALOG,
  PASSIVE_MODELS,
  type ModelSpec,
  type PassiveModel,
} from "@lumen/core";
import { LumenError, PassiveModelKey } from "@lumen/protocol";
import { createOnnxSession } from "../runtime/create-onnx-session.ts";
import { createFsModelSource } from "../runtime/fs-model-source.ts";
import type { OperatorPassiveModel } from "../verification/operator-passive-model.ts";

/**
 * Bounds of a `LUMEN_PASSIVE_MODELS` file. With the 8 shipped passive models, 4 declared ones
 * stay within the analysis's `PROTOCOL_LIMITS.maxPassiveModels` (16) scores per frame.
 */
export const PASSIVE_MODEL_DECLARATION_LIMITS = {
  maxFileBytes: 64 * 1024,
  maxModels: 4,
  maxModelBytes: 512 * 1024 * 1024,
  /** Outputs a declared reading may index. */
  maxOutputs: 1024,
} as const;

const L = PASSIVE_MODEL_DECLARATION_LIMITS;

const tensorName = z.string().min(1).max(256);
const outputIndex = z
  .number()
  .int()
  .min(0)
  .max(L.maxOutputs - 1);

const Reading = z.discriminatedUnion("kind", [
  z
    .strictObject({ kind: z.literal("logit-margin"), real: outputIndex, attack: outputIndex })
    .refine((r) => r.real !== r.attack, {
      message: "real and attack must be different outputs",
      path: ["attack"],
    }),
  z
    .strictObject({
      kind: z.literal("softmax"),
      real: outputIndex,
      classes: z.number().int().min(2).max(L.maxOutputs),
    })
    .refine((r) => r.real < r.classes, { message: "must be below classes", path: ["real"] }),
  z.strictObject({ kind: z.literal("sigmoid"), positive: z.enum(["real", "attack"]) }),
]);

const shipped = (id: string): boolean =>
  id in PASSIVE_MODELS || MODEL_CATALOG.some((spec) => spec.id === id);

const Declaration = z.strictObject({
  id: PassiveModelKey.refine((id) => !shipped(id), { message: "is a shipped model's id" }),
  file: z
    .string()
    .min(1)
    .max(1024)
    .refine((file) => !file.includes("\0"), { message: "must not contain NUL" }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: "must be 64 lowercase hex digits" }),
  bytes: z.number().int().positive().max(L.maxModelBytes),
  licence: z.string().min(1).max(128),
  detects: z.enum(["spoof", "deepfake"]),
  input: z.strictObject({
    name: tensorName,
    size: z.number().int().min(16).max(1024),
    layout: z.enum(["NCHW", "NHWC"]),
    colourOrder: z.enum(["RGB", "BGR"]),
    scale: z.number(),
    offset: z.number(),
    crop: z.strictObject({
      kind: z.enum(["square", "inside-frame"]),
      scale: z.number().positive().max(10),
    }),
  }),
  output: z.strictObject({ name: tensorName, reading: Reading }),
  fusion: z.strictObject({ weight: z.number(), mean: z.number(), std: z.number().positive() }),
});
type Declaration = z.infer<typeof Declaration>;

const Declarations = z.array(Declaration).min(1).max(L.maxModels);

function invalid(path: string, problem: string, cause?: unknown): LumenError {
  return new LumenError("CONFIG_INVALID", `LUMEN_PASSIVE_MODELS (${path}): ${problem}`, {
    cause,
  });
}

const fieldName = (path: readonly PropertyKey[]): string =>
  path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");

async function readBounded(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (cause) {
    throw invalid(path, "the file cannot be read", cause);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw invalid(path, "is not a file");
    if (info.size > L.maxFileBytes) {
      throw invalid(path, `the file has ${info.size} bytes, more than ${L.maxFileBytes}`);
    }
    const bytes = new Uint8Array(info.size);
    const { bytesRead } = await handle.read(bytes, 0, info.size, 0);
    return new TextDecoder().decode(bytes.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function parse(path: string, text: string): Declaration[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw invalid(path, "the file is not JSON", cause);
  }
  const parsed = Declarations.safeParse(json);
  if (!parsed.success) {
    throw invalid(
      path,
      parsed.error.issues
        .map((issue) => `${fieldName(issue.path) || "(top level)"}: ${issue.message}`)
        .join("\n"),
    );
  }
  const ids = new Set<string>();
  parsed.data.forEach(({ id }, i) => {
    if (ids.has(id)) throw invalid(path, `[${i}].id: "${id}" is declared twice`);
    ids.add(id);
  });
  return parsed.data;
}

function toModelFile(declared: Declaration, file: string): OperatorPassiveModel {
  const { input, output } = declared;
  const model: PassiveModel = {
    id: declared.id,
    detects: declared.detects,
    crop: input.crop,
    size: input.size,
    layout: input.layout,
    colourOrder: input.colourOrder,
    scale: input.scale,
    offset: input.offset,
    inputName: input.name,
    outputName: output.name,
    output: output.reading,
  };
  const spec: ModelSpec = {
    id: declared.id,
    version: "operator",
    file: basename(file),
    format: "onnx",
    sha256: declared.sha256,
    bytes: declared.bytes,
    licence: declared.licence,
    input: {
      name: input.name,
      shape:
        input.layout === "NCHW" ? [-1, 3, input.size, input.size] : [-1, input.size, input.size, 3],
      layout: input.layout,
      colourOrder: input.colourOrder,
      normalisation: `value * ${input.scale} + ${input.offset}`,
      crop: `${input.crop.kind} crop of the face box scaled ${input.crop.scale}x, bilinear resize to ${input.size}x${input.size}`,
    },
    output: `${output.name}: ${JSON.stringify(output.reading)} (declared by the operator)`,
  };
  return { model, spec, directory: dirname(file), fusion: declared.fusion };
}

// The pin first (no unverified byte reaches onnxruntime), then the tensor names the model
// must have, so a declaration that cannot run stops the start rather than every session.
async function verify(path: string, i: number, operator: OperatorPassiveModel): Promise<void> {
  const { model, spec, directory } = operator;
  let bytes: Uint8Array;
  try {
    bytes = await loadVerifiedModel(spec, createFsModelSource(directory));
  } catch (err) {
    if (!(err instanceof LumenError)) throw err;
    throw new LumenError(err.code, `LUMEN_PASSIVE_MODELS (${path}): [${i}].file: ${err.message}`, {
      cause: err,
    });
  }
  let session;
  try {
    session = await createOnnxSession(bytes);
  } catch (cause) {
    throw invalid(path, `[${i}].file: onnxruntime cannot load ${spec.file}`, cause);
  }
  try {
    if (!session.inputNames.includes(model.inputName)) {
      throw invalid(
        path,
        `[${i}].input.name: the model has no input "${model.inputName}" (it has ${session.inputNames.join(", ")})`,
      );
    }
    if (!session.outputNames.includes(model.outputName)) {
      throw invalid(
        path,
        `[${i}].output.name: the model has no output "${model.outputName}" (it has ${session.outputNames.join(", ")})`,
      );
    }
  } finally {
    await session.release();
  }
}

/**
 * Reads the operator's own passive models from the JSON file `LUMEN_PASSIVE_MODELS` names
 * (see the server README), and checks each file against its declared size and SHA-256 and
 * that onnxruntime loads it with the declared tensor names. Model files are resolved against
 * the JSON file's folder.
 *
 * @throws {LumenError} `CONFIG_INVALID` naming the field for a file that is missing, too large,
 * not JSON or not a valid declaration (bounds in {@link PASSIVE_MODEL_DECLARATION_LIMITS}), a
 * shipped or repeated id or a missing model file; `MODEL_INTEGRITY_FAILED` when a model file
 * differs from its pin.
 * @example
 * ```ts
 * const operatorModels = await loadPassiveModelDeclarations("/etc/lumen/passive-models.json");
 * ```
 */
export async function loadPassiveModelDeclarations(path: string): Promise<OperatorPassiveModel[]> {
  const declarations = parse(path, await readBounded(path));
  const models: OperatorPassiveModel[] = [];
  for (const [i, declared] of declarations.entries()) {
    const file = resolve(dirname(path), declared.file);
    const info = await stat(file).catch(() => null);
    if (!info) throw invalid(path, `[${i}].file: ${file} does not exist`);
    if (!info.isFile()) throw invalid(path, `[${i}].file: ${file} is not a file`);
    const model = toModelFile(declared, file);
    await verify(path, i, model);
    models.push(model);
  }
  return models;
}
