import type { ResultTokenClaims, StartSessionResponse, TrackSettingsSignal } from "@lumen/protocol";
import type { EvidenceFrame } from "./evidence-collector.ts";
import { frameIntervalStdMs } from "./frame-interval-std.ts";

/** How long a result token is valid after it is signed. */
const RESULT_TOKEN_LIFETIME_SECONDS = 120;

/** What {@link buildResultClaims} puts into a result token. */
export interface ResultClaimsInput {
  readonly sessionId: string;
  readonly start: Pick<StartSessionResponse, "nonce">;
  /** When the token is signed (epoch ms). */
  readonly nowMs: number;
  /** The evidence frames, in capture order (the collector's order). */
  readonly frames: readonly EvidenceFrame[];
  /** When each illumination step and each pose prompt was painted (epoch ms, fractional). */
  readonly flashesShownAt: readonly number[];
  readonly posesShownAt: readonly number[];
  /** The analysis worker's `modelsHash`. */
  readonly modelsHash: string;
  readonly virtualCameraLabel: boolean;
  readonly customSource: boolean;
  /** Capture times of every video frame seen since the challenge began (epoch ms). */
  readonly framesSeenAt: readonly number[];
  readonly implausibleTrackSettings: readonly TrackSettingsSignal[];
}

/**
 * The claims of the result token: the frames' claims in capture order, the paint times rounded
 * to whole ms, and the injection signals, valid for two minutes from `nowMs`.
 *
 * @example
 * ```ts
 * const claims = buildResultClaims({ sessionId, start, nowMs: clock(), frames: collector.frames, ... });
 * const token = await signResultToken(claims, deviceKey.privateKey);
 * ```
 */
export function buildResultClaims(input: ResultClaimsInput): ResultTokenClaims {
  const iat = Math.floor(input.nowMs / 1000);
  return {
    sid: input.sessionId,
    nonce: input.start.nonce,
    iat,
    exp: iat + RESULT_TOKEN_LIFETIME_SECONDS,
    frames: input.frames.map((frame) => frame.claim),
    flashesShownAt: input.flashesShownAt.map(Math.round),
    posesShownAt: input.posesShownAt.map(Math.round),
    models: input.modelsHash,
    signals: {
      virtualCameraLabel: input.virtualCameraLabel,
      customSource: input.customSource,
      frameIntervalStdMs: frameIntervalStdMs(input.framesSeenAt),
      implausibleTrackSettings: [...input.implausibleTrackSettings],
    },
  };
}
