import {
  assessEvidence,
  isPassiveFrame,
  summariseFrame,
  type AssessEvidenceResult,
  type FrameEvidence,
} from "@lumen/core";
import { PROTOCOL_LIMITS, type Policy } from "@lumen/protocol";
import { checkJpegHeader, decodeJpeg, type FrameAnalyzer } from "@lumen/server";
import type { RecordedSessionData } from "./recorded-session-folder.ts";

/** Result of {@link replayRecordedSession}: the server's decision and the evidence it used. */
export interface SessionReplay {
  readonly policy: Policy;
  readonly frames: readonly FrameEvidence[];
  readonly assessment: AssessEvidenceResult;
}

/**
 * The upload checks of the server that a recording can repeat without the live session: the
 * frame count within the session's evidence limits, capture times in order, and each JPEG's
 * header dimensions within the pixel limit and equal to its claim. (The token's signature,
 * nonce and time window were checked live; the device key and the server's clock are not
 * recorded.) Throws a `TypeError` naming what the server would have refused.
 */
function checkUpload(data: RecordedSessionData): void {
  const { start, claims } = data.session;
  const refused = (why: string): TypeError =>
    new TypeError(`the server would refuse this upload: ${why}`);
  const count = data.frames.length;
  if (count < start.evidence.minFrames || count > start.evidence.maxFrames) {
    throw refused(
      `${count} frames, ${start.evidence.minFrames} to ${start.evidence.maxFrames} required`,
    );
  }
  let previous = -Infinity;
  for (const [i, claim] of claims.frames.entries()) {
    if (!(claim.capturedAt > previous)) throw refused(`frame ${i} capture time is out of order`);
    previous = claim.capturedAt;
    const frame = data.frames[i];
    if (frame === undefined) throw refused(`frame ${i} is missing`);
    let size: { width: number; height: number };
    try {
      size = checkJpegHeader(frame, start.evidence.maxFramePixels);
    } catch (err) {
      throw refused(`frame ${i}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (size.width !== claim.width || size.height !== claim.height) {
      throw refused(`frame ${i} is not the size its claim declares`);
    }
  }
}

/**
 * Runs the verification server's full decision on a recorded session, as its frame workers and
 * verifier do after the upload checks: each JPEG decoded with the server's `decodeJpeg`,
 * analysed by `analyse` (the server's ONNX analyzer), summarised with its claimed capture time,
 * then `assessEvidence` with the recorded challenge, claims and capture facts: every challenge
 * check included.
 *
 * @param policy The policy to judge under; the session's own by default (as the server did).
 * @throws {TypeError} When the server would have refused the upload before deciding.
 * @example
 * ```ts
 * const { assessment } = await replayRecordedSession(await readRecordedSession(folder), (f) => analyzer.analyse(f));
 * assessment.decision; // "pass" | "review" | "fail"
 * ```
 */
export async function replayRecordedSession(
  data: RecordedSessionData,
  analyse: FrameAnalyzer["analyse"],
  policy: Policy = data.session.policy,
): Promise<SessionReplay> {
  checkUpload(data);
  const { session } = data;
  const frames: FrameEvidence[] = [];
  for (const [i, bytes] of data.frames.entries()) {
    const capturedAt = session.claims.frames[i]?.capturedAt ?? 0;
    // The server decodes with the protocol's pixel limit (its verifier's default).
    const image = await decodeJpeg(bytes, { maxPixels: PROTOCOL_LIMITS.maxFramePixels });
    // The further passive models on the frames the server runs them on.
    const passive = isPassiveFrame(i, data.frames.length);
    frames.push(summariseFrame(image, await analyse(image, { passive }), capturedAt));
  }
  const assessment = assessEvidence({
    policy,
    challenge: session.start.challenge,
    claims: session.claims,
    capture: session.capture,
    frames,
  });
  return { policy, frames, assessment };
}
