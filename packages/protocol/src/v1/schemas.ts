import { z } from "zod";
import { PROTOCOL_LIMITS as L } from "./limits.ts";
import { REASON_CODES } from "./reason-codes.ts";

const epochMs = z.number().int().min(0).max(8.64e15);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const sessionId = z.string().regex(/^ses_[A-Za-z0-9_-]{22}$/);

/** How demanding a session is; `no-flash` replaces the flash challenge for photosensitive users. */
export const Policy = z.enum(["standard", "high", "no-flash"]);

/** `POST /v1/sessions` body (relying party, API key). */
export const CreateSessionRequest = z.strictObject({
  reference: z
    .string()
    .min(1)
    .max(L.referenceMaxLength)
    .regex(/^[\w.:@+-]+$/)
    .optional(),
  policy: Policy.optional(),
});

/** `POST /v1/sessions` response. */
export const CreateSessionResponse = z.strictObject({
  sessionId,
  /** Short-lived JWT for the SDK, bound to this session. */
  clientToken: z.string(),
  expiresAt: epochMs,
});

/** The device's public signing key: an ES256 (P-256) JWK without private parts. */
export const DevicePublicJwk = z.strictObject({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  y: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  alg: z.literal("ES256").optional(),
  use: z.literal("sig").optional(),
  key_ops: z.array(z.literal("verify")).max(1).optional(),
  ext: z.boolean().optional(),
});

/** What the SDK knows of its camera; reported, never trusted. */
export const CaptureFacts = z.strictObject({
  cameraLabel: z.string().max(L.cameraLabelMaxLength),
  userAgent: z.string().max(L.userAgentMaxLength),
  trackSettings: z.strictObject({
    width: z.number().int().min(0).max(16_384).optional(),
    height: z.number().int().min(0).max(16_384).optional(),
    frameRate: z.number().min(0).max(1000).optional(),
    facingMode: z.string().max(32).optional(),
    resizeMode: z.string().max(32).optional(),
  }),
  /** The integrator passed its own video source instead of the camera. */
  customSource: z.boolean(),
});

/** `POST /v1/sessions/{id}/start` body (SDK, client token). */
export const StartSessionRequest = z.strictObject({
  devicePublicKey: DevicePublicJwk,
  capture: CaptureFacts,
});

/** Screen colours a flash challenge can use, as sRGB hex. */
export const FlashColour = z.enum([
  "#ff0000",
  "#00ff00",
  "#0000ff",
  "#ffff00",
  "#ff00ff",
  "#00ffff",
]);

/** Head-pose prompts. */
export const PoseDirection = z.enum(["left", "right", "up", "down"]);

/** The challenge the server draws at random for one session. */
export const Challenge = z.strictObject({
  /** Full-screen colours shown in order; empty for the `no-flash` policy. */
  flashes: z
    .array(z.strictObject({ colour: FlashColour, durationMs: z.number().int().min(100).max(2000) }))
    .max(12),
  /** Head turns asked for in order. */
  poses: z
    .array(
      z.strictObject({ direction: PoseDirection, holdMs: z.number().int().min(200).max(3000) }),
    )
    .max(6),
  /** Where the face must sit, as an ellipse in fractions of the frame. */
  oval: z.strictObject({
    centerX: z.number().min(0).max(1),
    centerY: z.number().min(0).max(1),
    width: z.number().min(0.1).max(1),
    height: z.number().min(0.1).max(1),
  }),
});

/** Bounds of the evidence the server will accept for this session. */
export const EvidenceLimits = z.strictObject({
  minFrames: z.number().int().min(1),
  maxFrames: z.number().int().max(L.maxFrames),
  maxFrameBytes: z.number().int().max(L.maxFrameBytes),
  maxFramePixels: z.number().int().max(L.maxFramePixels),
});

/** `POST /v1/sessions/{id}/start` response: given once per session. */
export const StartSessionResponse = z.strictObject({
  nonce: z.string(),
  challenge: Challenge,
  evidence: EvidenceLimits,
  deadline: epochMs,
});

/** One uploaded frame as the result token describes it. */
export const FrameClaim = z.strictObject({
  /** Capture time (epoch ms, from the video frame's own timestamp where the browser gives one). */
  capturedAt: epochMs,
  sha256: sha256Hex,
  width: z.number().int().min(1).max(8192),
  height: z.number().int().min(1).max(8192),
  /** The SDK's own scores for this frame; compared with the server's to spot a lying client. */
  scores: z
    .strictObject({
      faces: z.number().int().min(0).max(16),
      liveness: z.number().min(-1000).max(1000).nullable(),
      realness: z.number().min(0).max(1).nullable(),
    })
    .nullable(),
});

/**
 * Names of the camera track settings no real camera produces (the SDK's
 * `implausibleTrackSettings` documents each threshold). Reported, never trusted.
 */
export const TRACK_SETTINGS_SIGNALS = [
  "frame-rate-invalid",
  "frame-rate-too-high",
  "size-invalid",
  "size-out-of-range",
  "odd-size",
  "aspect-ratio-unusual",
  "aspect-ratio-mismatch",
  "resize-mode-unknown",
  "device-id-missing",
] as const;

/** One of {@link TRACK_SETTINGS_SIGNALS}. */
export const TrackSettingsSignal = z.enum(TRACK_SETTINGS_SIGNALS);

/** The claims of the result token the SDK signs with its per-session device key. */
export const ResultTokenClaims = z.strictObject({
  sid: sessionId,
  nonce: z.string().min(16).max(128),
  iat: z.number().int().min(0),
  exp: z.number().int().min(0),
  frames: z.array(FrameClaim).min(1).max(L.maxFrames),
  /** When each flash colour appeared on screen, in challenge order (epoch ms). */
  flashesShownAt: z.array(epochMs).max(12),
  /** When each pose prompt appeared on screen, in challenge order (epoch ms). */
  posesShownAt: z.array(epochMs).max(6),
  /** SHA-256 of the model manifest the SDK ran. */
  models: sha256Hex,
  /** Heuristic injection signals, reported not trusted. */
  signals: z.strictObject({
    virtualCameraLabel: z.boolean(),
    customSource: z.boolean(),
    /** Standard deviation of frame intervals (ms); a perfectly regular stream is suspicious. */
    frameIntervalStdMs: z.number().min(0).max(10_000).nullable(),
    /** Track settings no real camera produces; optional so older SDKs stay valid. */
    implausibleTrackSettings: z
      .array(TrackSettingsSignal)
      .max(TRACK_SETTINGS_SIGNALS.length)
      .optional(),
  }),
});

/** The JWS header `typ` of a result token. */
export const RESULT_TOKEN_TYPE = "lumen-result+jwt";

/** What a browser learns about its attempt: never scores, which an attacker would tune against. */
export const EvidenceResponse = z.strictObject({
  status: z.enum(["pass", "fail", "retry"]),
  retryAllowed: z.boolean(),
});

/** The server's decision. `review` means a person should look. */
export const Decision = z.enum(["pass", "fail", "review"]);

/** Where a session is in its single-use life: created → started → completed | expired; any → deleted. */
export const SessionStatus = z.enum(["created", "started", "completed", "expired", "deleted"]);

/**
 * The server's own per-frame re-check and challenge evaluation of a completed session, for the
 * relying party (charts, review). Every measurement comes from the server's models on the
 * uploaded frames, never from the SDK's self-reported scores; the times (`capturedAt`,
 * `shownAt`) are the signed result token's, which the decision uses as well. Numbers a frame or
 * prompt did not yield are `null`. Not part of the verdict JWT.
 */
export const SessionAnalysis = z.strictObject({
  /** One entry per uploaded frame, in upload order. */
  frames: z
    .array(
      z.strictObject({
        /** Capture time (epoch ms, from the result token). */
        capturedAt: epochMs,
        /** Faces the server's detector found. */
        faces: z.number().int().min(0).max(16),
        /** Server MiniFASNet `real − spoof` logit of the frame's face; above 0 reads as live. */
        liveness: z.number().nullable(),
        /** Server MesoNet probability that the frame's face is not a deepfake. */
        realness: z.number().min(0).max(1).nullable(),
        /** Head yaw in degrees as estimated from the server's face mesh (not baseline-relative). */
        yawDegrees: z.number().nullable(),
        /** Head pitch in degrees as estimated from the server's face mesh (not baseline-relative). */
        pitchDegrees: z.number().nullable(),
        /**
         * The flash colour lit at capture time: the last flash with
         * `shownAt ≤ capturedAt < shownAt + durationMs + FLASH_CAMERA_LAG_MS`, else `null`.
         */
        flash: FlashColour.nullable(),
      }),
    )
    .max(L.maxFrames),
  /** One entry per requested flash, in challenge order; empty under `no-flash`. */
  flashes: z
    .array(
      z.strictObject({
        colour: FlashColour,
        /** When the SDK reports the colour appeared (epoch ms); `null` if it reported none. */
        shownAt: epochMs.nullable(),
        durationMs: z.number().int(),
        /**
         * The face's chromaticity shift from its pre-flash baseline projected on the flashed
         * colour's direction (`shift × cosine`, chromaticity units; negative: away from it).
         * `null` when no face frame fell in the flash's window or there was no baseline.
         */
        response: z.number().nullable(),
        /**
         * The evaluator's per-flash verdict: shift ≥ `thresholds.flashResponse` and within 60°
         * of the flashed colour's direction (cosine ≥ 0.5).
         */
        responded: z.boolean(),
      }),
    )
    .max(12),
  /** One entry per pose prompt, in challenge order. */
  poses: z
    .array(
      z.strictObject({
        direction: PoseDirection,
        /** When the SDK reports the prompt appeared (epoch ms); `null` if it reported none. */
        shownAt: epochMs.nullable(),
        /**
         * The largest turn the asked way inside the prompt's window, in degrees from the
         * evaluator's baseline (the median pose before the first prompt); negative: the wrong
         * way; `null` without a baseline or a face frame in the window.
         */
        peakDegrees: z.number().nullable(),
        /** The evaluator's verdict: enough frames (per policy) turned past the threshold. */
        reached: z.boolean(),
      }),
    )
    .max(6),
  /** The thresholds the decision applied to these numbers, from the session's policy. */
  thresholds: z.strictObject({
    /** Minimum median `liveness` over face frames (the median, not each frame, must reach it). */
    liveness: z.number(),
    /** Minimum median `realness` over face frames. */
    realness: z.number(),
    /** Minimum chromaticity shift of a flash's response (see `flashes[].responded`). */
    flashResponse: z.number(),
    /** Minimum turn from baseline, in degrees, for left/right (`yaw`) and up/down (`pitch`). */
    poseDegrees: z.strictObject({ yaw: z.number(), pitch: z.number() }),
  }),
});

/** `GET /v1/sessions/{id}` response (relying party, API key). */
export const SessionResult = z.strictObject({
  sessionId,
  reference: z.string().nullable(),
  /** `deleted`: the relying party erased it; only this tombstone remains. */
  status: SessionStatus,
  decision: Decision.nullable(),
  reasons: z.array(z.enum(REASON_CODES)),
  /** Server-side aggregate scores; for the relying party only. */
  scores: z.record(z.string(), z.number()).nullable(),
  /** The server-signed verdict JWT; verify it with `verifyVerdict` and the JWKS. */
  verdict: z.string().nullable(),
  auditFrames: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(L.maxFrames - 1),
    )
    .max(L.maxAuditFrames),
  /**
   * The server's per-frame analysis and challenge evaluation; `null` until the session is
   * completed, when the re-check itself failed (`VERIFICATION_ERROR`), and for an expired or
   * deleted session.
   */
  analysis: SessionAnalysis.nullable(),
});

/** The JWS header `typ` of a verdict token. */
export const VERDICT_TOKEN_TYPE = "lumen-verdict+jwt";

/** The JWS header `typ` of a client token. */
export const CLIENT_TOKEN_TYPE = "lumen-client+jwt";

/** The `aud` of every client token: the browser SDK. */
export const CLIENT_TOKEN_AUDIENCE = "lumen-sdk";

/** The claims of the verdict JWT the server signs for the relying party. */
export const VerdictClaims = z.strictObject({
  /** The server's issuer URL. */
  iss: z.string().min(1),
  /** The relying party's API key id. */
  aud: z.string().min(1),
  /** The session id. */
  sub: sessionId,
  reference: z.string().nullable(),
  decision: Decision,
  reasons: z.array(z.enum(REASON_CODES)),
  /** Model id → catalog version the server ran. */
  models: z.record(z.string(), z.string()),
  iat: z.number().int().min(0),
  exp: z.number().int().min(0),
});

/** `DELETE /v1/sessions/{id}` response. */
export const DeleteSessionResponse = z.strictObject({
  sessionId,
  status: z.literal("deleted"),
});

/** Error body of every 4xx/5xx response. */
export const ErrorBody = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});

export type Policy = z.infer<typeof Policy>;
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;
export type CreateSessionResponse = z.infer<typeof CreateSessionResponse>;
export type DevicePublicJwk = z.infer<typeof DevicePublicJwk>;
export type CaptureFacts = z.infer<typeof CaptureFacts>;
export type TrackSettingsSignal = z.infer<typeof TrackSettingsSignal>;
export type StartSessionRequest = z.infer<typeof StartSessionRequest>;
export type FlashColour = z.infer<typeof FlashColour>;
export type PoseDirection = z.infer<typeof PoseDirection>;
export type Challenge = z.infer<typeof Challenge>;
export type EvidenceLimits = z.infer<typeof EvidenceLimits>;
export type StartSessionResponse = z.infer<typeof StartSessionResponse>;
export type FrameClaim = z.infer<typeof FrameClaim>;
export type ResultTokenClaims = z.infer<typeof ResultTokenClaims>;
export type EvidenceResponse = z.infer<typeof EvidenceResponse>;
export type Decision = z.infer<typeof Decision>;
export type SessionStatus = z.infer<typeof SessionStatus>;
export type SessionAnalysis = z.infer<typeof SessionAnalysis>;
export type SessionResult = z.infer<typeof SessionResult>;
export type VerdictClaims = z.infer<typeof VerdictClaims>;
export type DeleteSessionResponse = z.infer<typeof DeleteSessionResponse>;
export type ErrorBody = z.infer<typeof ErrorBody>;
