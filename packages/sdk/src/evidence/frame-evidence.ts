import type { AnalyseFrameResult, EncodedEvidence } from "../workers/analysis-api.ts";
import type { EvidenceFrame } from "./evidence-collector.ts";

/**
 * The evidence frame of a frame the worker analysed and encoded, with the SDK's scores clamped
 * to what the token's schema accepts; `null` when the worker was not asked for evidence.
 *
 * @example
 * ```ts
 * const frame = analysedEvidenceFrame(result, capturedAt);
 * if (frame) collector.add(frame);
 * ```
 */
export function analysedEvidenceFrame(
  result: AnalyseFrameResult,
  capturedAt: number,
): EvidenceFrame | null {
  if (!result.evidence) return null;
  return {
    claim: {
      capturedAt: Math.round(capturedAt),
      sha256: result.evidence.sha256,
      width: result.width,
      height: result.height,
      scores: {
        faces: Math.min(16, result.faces),
        liveness:
          result.face?.liveness == null
            ? null
            : Math.max(-1000, Math.min(1000, result.face.liveness)),
        realness: result.face?.realness ?? null,
      },
    },
    jpeg: result.evidence.jpeg,
  };
}

/**
 * The evidence frame of a frame encoded on the page without analysis (a flash's frame): no SDK
 * scores, the server scores every frame itself.
 *
 * @example
 * ```ts
 * const { evidence, width, height } = await encodeFrameEvidence(bitmap, maxPixels, maxBytes);
 * collector.add(unscoredEvidenceFrame({ evidence, width, height }, capturedAt));
 * ```
 */
export function unscoredEvidenceFrame(
  encoded: { readonly evidence: EncodedEvidence; readonly width: number; readonly height: number },
  capturedAt: number,
): EvidenceFrame {
  return {
    claim: {
      capturedAt: Math.round(capturedAt),
      sha256: encoded.evidence.sha256,
      width: encoded.width,
      height: encoded.height,
      scores: null,
    },
    jpeg: encoded.evidence.jpeg,
  };
}
