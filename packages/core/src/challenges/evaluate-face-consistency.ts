import type { FrameEvidence } from "./frame-evidence.ts";
import { median } from "./median.ts";

/**
 * Largest change of the landmark-geometry signature (mean absolute difference of its log
 * ratios) between the medians before and after any split point of the session. Measured on
 * the genuine videos (5 fps): within one video the halves differ by 0.008–0.027, a genuine d3
 * session with its most turned frames reads 0.034, d3 spliced with d12 0.083; between the
 * four people's medians 0.032–0.079 (d3/d19 0.032, d3/d9 0.040, d19/d9 0.052, others 0.065–0.079).
 * 0.045 flags the clearly different pairs and misses the two closest: the mesh regresses a
 * generic shape, so geometry alone cannot tell similar faces apart.
 */
export const FACE_SIGNATURE_MAX_STEP = 0.045;
/**
 * Largest change of skin chromaticity (L1 over `r, g, b` shares, outside flash windows) between
 * the medians before and after any split point. Measured: a genuine d3 session whose pose
 * frames are the video's most turned ones reads 0.033 (turning changes the light on the
 * cheeks); d3 spliced with d12 reads 0.139. Between the four people's video medians the L1
 * distance runs from 0.021 (d9/d19, missed) to 0.14 (d3/d9). 0.06 leaves twice the genuine value.
 */
export const FACE_SKIN_MAX_STEP = 0.06;
/**
 * Largest jump of the face-box centre between consecutive frames, in face widths. A head turn
 * at selfie distance moves the box by well under half its width between frames 100–300 ms
 * apart; a spliced source usually puts the face elsewhere.
 */
export const FACE_BOX_MAX_JUMP = 0.5;
/** Largest ratio of face-box widths between consecutive frames (see {@link FACE_BOX_MAX_JUMP}). */
export const FACE_BOX_MAX_SCALE = 1.35;
/** Frames needed on each side of a split for a before/after median to mean anything. */
const MIN_SIDE = 3;

/** Options of {@link evaluateFaceConsistency}. */
export interface FaceConsistencyOptions {
  readonly maxSignatureStep?: number;
  readonly maxSkinStep?: number;
  readonly maxBoxJump?: number;
  readonly maxBoxScale?: number;
}

/** Result of {@link evaluateFaceConsistency}. Pure data. */
export interface FaceConsistencyResult {
  /** Frames without a face. */
  readonly framesWithoutFace: number;
  /** Frames with more than one face. */
  readonly framesWithSeveralFaces: number;
  /** Largest before/after signature difference over split points. */
  readonly signatureStep: number;
  /** Largest before/after skin-chroma difference over split points (outside flash windows). */
  readonly skinStep: number;
  /** Largest consecutive box-centre jump, in face widths. */
  readonly boxJump: number;
  /** Largest consecutive box-width ratio (≥ 1). */
  readonly boxScale: number;
  /** The same face throughout, as far as these heuristics can tell. */
  readonly sameFace: boolean;
}

function largestStep(rows: readonly (readonly number[])[]): number {
  const n = rows.length;
  const dims = rows[0]?.length ?? 0;
  let best = 0;
  for (let split = MIN_SIDE; split <= n - MIN_SIDE; split++) {
    let step = 0;
    for (let k = 0; k < dims; k++) {
      const before = median(rows.slice(0, split).map((row) => row[k] ?? Number.NaN));
      const after = median(rows.slice(split).map((row) => row[k] ?? Number.NaN));
      step += Math.abs(after - before);
    }
    best = Math.max(best, step / Math.max(1, dims));
  }
  return best;
}

/**
 * Exactly one face in every frame, and the same face throughout. No identity model is
 * available, so this is a heuristic combining three documented signals, any one of which
 * flags a change: a step in the pose-normalised landmark-geometry signature, a step in skin
 * colour outside the flash windows, and a jump of the face box between consecutive frames.
 * It catches a swap between clearly different faces or framings; it can miss a swap between
 * two people of similar face shape and skin tone filmed alike. Treat `sameFace: true` as
 * "no evidence of a swap", not as an identity match.
 *
 * `inFlash(capturedAt)` tells which frames are lit by a flash, so their colour is left out.
 *
 * @example
 * ```ts
 * const result = evaluateFaceConsistency(frames, (t) => flashWindows.some((w) => w.has(t)));
 * if (!result.sameFace) reasons.push("FACE_CHANGED");
 * ```
 */
export function evaluateFaceConsistency(
  frames: readonly FrameEvidence[],
  inFlash: (capturedAt: number) => boolean = () => false,
  options: FaceConsistencyOptions = {},
): FaceConsistencyResult {
  const maxSignatureStep = options.maxSignatureStep ?? FACE_SIGNATURE_MAX_STEP;
  const maxSkinStep = options.maxSkinStep ?? FACE_SKIN_MAX_STEP;
  const maxBoxJump = options.maxBoxJump ?? FACE_BOX_MAX_JUMP;
  const maxBoxScale = options.maxBoxScale ?? FACE_BOX_MAX_SCALE;
  let framesWithoutFace = 0;
  let framesWithSeveralFaces = 0;
  const signatures: number[][] = [];
  const skins: number[][] = [];
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
    signatures.push(Array.from(face.signature));
    if (face.skin && !inFlash(frame.capturedAt)) {
      const total = face.skin.r + face.skin.g + face.skin.b;
      if (total > 0) skins.push([face.skin.r / total, face.skin.g / total, face.skin.b / total]);
    }
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
  const signatureStep = largestStep(signatures);
  // largestStep averages over channels; the skin threshold is an L1 distance over all three.
  const skinStep = largestStep(skins) * 3;
  return {
    framesWithoutFace,
    framesWithSeveralFaces,
    signatureStep,
    skinStep,
    boxJump,
    boxScale,
    sameFace:
      signatureStep <= maxSignatureStep &&
      skinStep <= maxSkinStep &&
      boxJump <= maxBoxJump &&
      boxScale <= maxBoxScale,
  };
}
