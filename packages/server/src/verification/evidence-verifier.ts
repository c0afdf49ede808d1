import type { RgbaImage } from "@lumen/core";
import type {
  CaptureFacts,
  Challenge,
  Decision,
  FaceMatch,
  Policy,
  ReasonCode,
  ReferenceKind,
  ResultTokenClaims,
  SessionAnalysis,
} from "@lumen/protocol";

/** Everything the re-check needs, after the HTTP layer checked the token, hashes and limits. */
export interface EvidenceInput {
  readonly sessionId: string;
  readonly policy: Policy;
  readonly challenge: Challenge;
  readonly startedAt: number;
  readonly deadline: number;
  readonly capture: CaptureFacts;
  readonly claims: ResultTokenClaims;
  readonly frames: readonly Uint8Array[];
  /** The embedding of the session's reference image, or `null` when it has none. */
  readonly reference: Float32Array | null;
}

/** The re-check's verdict; scores stay on the server and with the relying party. */
export interface EvidenceVerdict {
  readonly decision: Decision;
  readonly reasons: readonly ReasonCode[];
  readonly scores: Readonly<Record<string, number>>;
  /** Indexes of up to 4 uploaded frames kept for audit. */
  readonly auditFrames: readonly number[];
  /**
   * The re-check's per-frame numbers and challenge outcomes for the relying party (one entry
   * per uploaded frame); `null` when the verifier has none. Never signed into the verdict JWT.
   */
  readonly analysis: SessionAnalysis | null;
  /** The live face against the reference image; `null` without one. */
  readonly match: FaceMatch | null;
}

/**
 * Re-derives a verdict from uploaded evidence, and embeds reference images' faces. Throws `LumenError("BUSY")` when saturated; any
 * other throw is recorded as a fail.
 *
 * @example
 * ```ts
 * const verdict = await verifier.verify(input);
 * ```
 */
export interface EvidenceVerifier {
  verify(input: EvidenceInput): Promise<EvidenceVerdict>;
  /**
   * The embedding of a decoded reference image's face. Throws `LumenError("REFERENCE_UNUSABLE")`
   * when the image shows no single usable face, `BUSY` when saturated.
   */
  embedReference(image: RgbaImage, kind: ReferenceKind): Promise<Float32Array>;
  close(): Promise<void>;
}
