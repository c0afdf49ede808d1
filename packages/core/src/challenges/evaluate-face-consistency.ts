import { faceDistance } from "../vision/face-distance.ts";
import { meanEmbedding } from "../vision/mean-embedding.ts";
import type { FrameEvidence } from "./frame-evidence.ts";

/**
 * Largest distance between the mean face embeddings (`face-recognition-resnet29`) before and
 * after any split point of the session, at least {@link MIN_SIDE} frames on each side.
 * Measured on the four shared genuine videos at 5 fps (`test/bench/identity-margins.ts`:
 * sessions of 12, 20 and 30 consecutive frames, every split): one person reads at most 0.45
 * (d3, whose head turns from −15° to 22° of yaw), 0.37 over 30 frames; two people spliced at
 * any point at least 0.52 (d12 and d9, the closest pair: their mean embeddings are 0.52 apart,
 * under dlib's 0.6 match bound; the other pairs 0.63–0.81). 0.49 lies midway. Weak spot: two people who look alike to
 * this network (a sibling, a good lookalike) are as close as d9 and d12 or closer.
 */
export const FACE_IDENTITY_MAX_STEP = 0.49;
/**
 * Largest jump of the face-box centre between consecutive frames, in face widths. A head turn
 * at selfie distance moves the box by well under half its width between frames 100–300 ms
 * apart; a spliced source usually puts the face elsewhere.
 */
export const FACE_BOX_MAX_JUMP = 0.5;
/** Largest ratio of face-box widths between consecutive frames (see {@link FACE_BOX_MAX_JUMP}). */
export const FACE_BOX_MAX_SCALE = 1.35;
/** Frames needed on each side of a split for a before/after mean to mean anything. */
const MIN_SIDE = 3;

/** Options of {@link evaluateFaceConsistency}. */
export interface FaceConsistencyOptions {
  readonly maxIdentityStep?: number;
  readonly maxBoxJump?: number;
  readonly maxBoxScale?: number;
}

/** Result of {@link evaluateFaceConsistency}. Pure data. */
export interface FaceConsistencyResult {
  /** Frames without a face. */
  readonly framesWithoutFace: number;
  /** Frames with more than one face. */
  readonly framesWithSeveralFaces: number;
  /**
   * Largest before/after distance of the mean embeddings over split points (0 with fewer than
   * two sides' worth of faces); `NaN` when a face has no embedding, which fails closed.
   */
  readonly identityStep: number;
  /** Largest consecutive box-centre jump, in face widths. */
  readonly boxJump: number;
  /** Largest consecutive box-width ratio (≥ 1). */
  readonly boxScale: number;
  /** The same face throughout: the same person, and a track without jumps. */
  readonly sameFace: boolean;
}

function largestIdentityStep(embeddings: readonly Float32Array[]): number {
  let best = 0;
  for (let split = MIN_SIDE; split <= embeddings.length - MIN_SIDE; split++) {
    const before = meanEmbedding(embeddings.slice(0, split));
    const after = meanEmbedding(embeddings.slice(split));
    best = Math.max(best, faceDistance(before, after));
  }
  return best;
}

/**
 * Exactly one face in every frame, and the same face throughout: the same person by the face
 * embeddings (no split of the session whose two sides' mean embeddings lie more than
 * `maxIdentityStep` apart), and one continuous track (no jump of the face box between
 * consecutive frames). A face without an embedding cannot be judged and fails.
 *
 * @example
 * ```ts
 * const result = evaluateFaceConsistency(frames);
 * if (!result.sameFace) reasons.push("FACE_CHANGED");
 * ```
 */
export function evaluateFaceConsistency(
  frames: readonly FrameEvidence[],
  options: FaceConsistencyOptions = {},
): FaceConsistencyResult {
  const maxIdentityStep = options.maxIdentityStep ?? FACE_IDENTITY_MAX_STEP;
  const maxBoxJump = options.maxBoxJump ?? FACE_BOX_MAX_JUMP;
  const maxBoxScale = options.maxBoxScale ?? FACE_BOX_MAX_SCALE;
  let framesWithoutFace = 0;
  let framesWithSeveralFaces = 0;
  const embeddings: Float32Array[] = [];
  let unjudged = false;
  let boxJump = 0;
  let boxScale = 1;
  let previous: FrameEvidence["face"] = null;
  for (const frame of frames) {
    if (frame.faceCount > 1) framesWithSeveralFaces++;
    const { face } = frame;
    if (!face) {
      framesWithoutFace++;
      continue;
    }
    if (face.embedding) embeddings.push(face.embedding);
    else unjudged = true;
    if (previous) {
      const width = Math.max(1, (previous.box.width + face.box.width) / 2);
      const jump = Math.hypot(
        face.box.x + face.box.width / 2 - (previous.box.x + previous.box.width / 2),
        face.box.y + face.box.height / 2 - (previous.box.y + previous.box.height / 2),
      );
      boxJump = Math.max(boxJump, jump / width);
      const ratio = face.box.width / Math.max(1, previous.box.width);
      boxScale = Math.max(boxScale, ratio, 1 / Math.max(ratio, 1e-6));
    }
    previous = face;
  }
  const identityStep = unjudged ? Number.NaN : largestIdentityStep(embeddings);
  return {
    framesWithoutFace,
    framesWithSeveralFaces,
    identityStep,
    boxJump,
    boxScale,
    sameFace: identityStep <= maxIdentityStep && boxJump <= maxBoxJump && boxScale <= maxBoxScale,
  };
}
