import { Tensor, type InferenceSession } from "onnxruntime-node";
import {
  analyseFrame,
  getModelSpec,
  loadVerifiedModel,
  type FrameAnalysis,
  type FrameAnalysisRunners,
  type RgbaImage,
} from "@lumen/core";
import { LumenError } from "@lumen/protocol";
import { createOnnxSession } from "../runtime/create-onnx-session.ts";
import { createFsModelSource } from "../runtime/fs-model-source.ts";

/** Runs the shared per-frame analysis on the server's own copies of the models. */
export interface FrameAnalyzer {
  analyse(frame: RgbaImage): Promise<FrameAnalysis>;
  /** Releases the inference sessions. */
  close(): Promise<void>;
}

/** Options of {@link createOnnxFrameAnalyzer}. */
export interface OnnxFrameAnalyzerOptions {
  /** Folder holding the files `pnpm models` builds (`models/dist/`). */
  readonly modelDir: string;
}

function output(outputs: InferenceSession.ReturnType, name: string): Float32Array {
  const tensor = outputs[name];
  if (tensor?.type !== "float32") {
    throw new LumenError("INFERENCE_FAILED", `The model gave no float32 output "${name}"`);
  }
  return tensor.data as Float32Array;
}

function runner(session: InferenceSession, shape: readonly number[]) {
  return async (input: Float32Array): Promise<InferenceSession.ReturnType> =>
    session.run({ input: new Tensor("float32", input, shape) });
}

/**
 * A {@link FrameAnalyzer} on onnxruntime-node. Every model passes the pinned SHA-256 check
 * before a session is created.
 *
 * @example
 * ```ts
 * const analyzer = await createOnnxFrameAnalyzer({ modelDir: "models/dist" });
 * const { faces, face } = await analyzer.analyse(decodeJpeg(bytes, { maxPixels: 1280 * 720 }));
 * ```
 */
export async function createOnnxFrameAnalyzer(
  options: OnnxFrameAnalyzerOptions,
): Promise<FrameAnalyzer> {
  const source = createFsModelSource(options.modelDir);
  const open = async (id: string): Promise<InferenceSession> =>
    createOnnxSession(await loadVerifiedModel(getModelSpec(id), source));
  const sessions = await Promise.all(
    ["face-detector", "face-mesh", "minifasnet-v2-se", "mesonet4-df"].map(open),
  );
  const [detector, mesh, antiSpoof, deepfake] = sessions as [
    InferenceSession,
    InferenceSession,
    InferenceSession,
    InferenceSession,
  ];
  const runDetector = runner(detector, [1, 3, 128, 128]);
  const runMesh = runner(mesh, [1, 3, 192, 192]);
  const runAntiSpoof = runner(antiSpoof, [1, 3, 128, 128]);
  const runDeepfake = runner(deepfake, [1, 3, 256, 256]);
  const runners: FrameAnalysisRunners = {
    detector: async (input) => {
      const out = await runDetector(input);
      return {
        regressors: output(out, "regressors"),
        classificators: output(out, "classificators"),
      };
    },
    mesh: async (input) => {
      const out = await runMesh(input);
      return { landmarks: output(out, "landmarks"), faceFlag: output(out, "face_flag") };
    },
    antiSpoof: async (input) => output(await runAntiSpoof(input), "output"),
    deepfake: async (input) => output(await runDeepfake(input), "output"),
  };
  return {
    analyse: (frame) => analyseFrame(frame, runners),
    close: async () => {
      await Promise.all(sessions.map((session) => session.release()));
    },
  };
}
