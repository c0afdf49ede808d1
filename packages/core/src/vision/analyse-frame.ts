import type { RgbaImage } from "../image/rgba-image.ts";
import type { FaceDetectionOptions } from "./decode-face-detections.ts";
import { faceEmbedding, type FaceEmbeddingRunner } from "./face-embedding.ts";
import {
  locateFace,
  type FaceLocation,
  type FaceLocationRunners,
  type LocatedFace,
} from "./locate-face.ts";
import type { PassiveModel } from "../passive/passive-model.ts";
import { passiveInputKey, passiveModelInput } from "../passive/passive-model-input.ts";
import { passiveModelScore } from "../passive/passive-model-score.ts";
import { PASSIVE_MODELS } from "../passive/passive-models.ts";

/** Runs a classifier on one NCHW float32 input and returns its raw output values. */
export type ClassifierRunner = (input: Float32Array) => Promise<ArrayLike<number>>;

/** A passive model bound to its runtime: `run` takes its input and returns its raw output. */
export interface PassiveRunner {
  readonly model: PassiveModel;
  readonly run: ClassifierRunner;
}

/** The four models a frame goes through, each bound by the caller to its runtime. */
export interface FrameAnalysisRunners extends FaceLocationRunners {
  /** MiniFASNet (`PASSIVE_MODELS["minifasnet-v2-se"]`): `[real, spoof]` logits out. */
  readonly antiSpoof: ClassifierRunner;
  /** MesoNet-4 (`PASSIVE_MODELS["mesonet4-df"]`): one sigmoid probability out. */
  readonly deepfake: ClassifierRunner;
  /**
   * The face-recognition model (`faceEmbedding`): where bound (the server), each face gets its
   * embedding, which decides whether the face stays the same through a session.
   */
  readonly embed?: FaceEmbeddingRunner;
  /**
   * Further passive models (where bound: the server's, and an operator's own), each scored on
   * the face into {@link AnalysedFace.passive}.
   */
  readonly passive?: readonly PassiveRunner[];
}

/** The face a frame is judged on: the detector's best, with its mesh and scores. */
export interface AnalysedFace extends LocatedFace {
  /** MiniFASNet `real - spoof` logit margin; above 0 reads as live. */
  readonly liveness: number;
  /** MesoNet probability that the face is real (not a deepfake). */
  readonly realness: number;
  /** The face's embedding (biometric data), or `null` without an `embed` runner. */
  readonly embedding: Float32Array | null;
  /**
   * Every passive model's score, log-odds of a bona fide face, by model id: MiniFASNet's and
   * MesoNet's (the two above in that unit) and those of {@link FrameAnalysisRunners.passive}.
   */
  readonly passive: Readonly<Record<string, number>>;
}

/** What one frame shows: where its faces are, and the best one scored. Pure data. */
export interface FrameAnalysis extends FaceLocation {
  /** The best face analysed, or `null` when no face was found or the mesh rejected it. */
  readonly face: AnalysedFace | null;
}

/**
 * The per-frame analysis shared by the SDK and the server: detect faces, mesh the best one,
 * then score it for presentation attacks and deepfakes. Both sides run exactly this code on
 * the same pixels, so their numbers can be compared to catch a tampered client.
 *
 * @example
 * ```ts
 * const analysis = await analyseFrame(frame, runners);
 * if (analysis.faces.length > 1) reasons.add("MULTIPLE_FACES");
 * ```
 */
export async function analyseFrame(
  frame: RgbaImage,
  runners: FrameAnalysisRunners,
  options: FaceDetectionOptions = {},
): Promise<FrameAnalysis> {
  const { faces, face: located } = await locateFace(frame, runners, options);
  if (!located) return { faces, face: null };
  const { box, landmarks } = located;
  const antiSpoof = PASSIVE_MODELS["minifasnet-v2-se"];
  const deepfake = PASSIVE_MODELS["mesonet4-df"];
  // Models fed alike (MesoNet's four) share one input; no runner writes to its input.
  const inputs = new Map<string, Float32Array>();
  const inputFor = (model: PassiveModel): Float32Array => {
    const key = passiveInputKey(model);
    const made = inputs.get(key) ?? passiveModelInput(frame, box, model);
    inputs.set(key, made);
    return made;
  };
  const liveness = passiveModelScore(await runners.antiSpoof(inputFor(antiSpoof)), antiSpoof);
  const deepfakeOutput = await runners.deepfake(inputFor(deepfake));
  const passive: Record<string, number> = {
    [antiSpoof.id]: liveness,
    [deepfake.id]: passiveModelScore(deepfakeOutput, deepfake),
  };
  // passiveModelScore has checked it is one probability.
  const realness = deepfakeOutput[0] as number;
  for (const runner of runners.passive ?? []) {
    passive[runner.model.id] = passiveModelScore(
      await runner.run(inputFor(runner.model)),
      runner.model,
    );
  }
  const embedding = runners.embed
    ? await faceEmbedding(frame, landmarks.points, runners.embed)
    : null;
  return { faces, face: { ...located, liveness, realness, embedding, passive } };
}
