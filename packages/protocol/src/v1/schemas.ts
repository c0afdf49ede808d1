import { z } from "zod";
import { PROTOCOL_LIMITS as L } from "./limits.ts";
import { REASON_CODES } from "./reason-codes.ts";

/**
 * An integer from `min` to `max`, both included, as one check: zod's `int().min().max()` runs
 * three, and a result token carries hundreds of such numbers, whose checks are most of its
 * validation's cost. The JSON Schema keeps the type and the bounds.
 */
function boundedInt(min: number, max: number) {
  return z
    .number()
    .refine(
      (n) => Number.isSafeInteger(n) && n >= min && n <= max,
      `must be an integer from ${min} to ${max}`,
    )
    .meta({ type: "integer", minimum: min, maximum: max });
}

/** A number from `min` to `max`, both included, as one check (see {@link boundedInt}). */
function boundedNumber(min: number, max: number) {
  return z
    .number()
    .refine((n) => n >= min && n <= max, `must be from ${min} to ${max}`)
    .meta({ minimum: min, maximum: max });
}

const epochMs = boundedInt(0, 8.64e15);

const lowercaseHex = /^[0-9a-f]+$/;

/**
 * 64 lowercase hex digits. V8 runs `/^[0-9a-f]{64}$/` about four times slower than a length
 * check and {@link lowercaseHex}, and a result token carries one per frame; the JSON Schema keeps
 * the one pattern.
 */
const sha256Hex = z
  .string()
  .refine((s) => s.length === 64 && lowercaseHex.test(s), "must be 64 lowercase hex digits")
  .meta({ pattern: "^[0-9a-f]{64}$" });

const sessionId = z.string().regex(/^ses_[A-Za-z0-9_-]{22}$/);

/**
 * A passive model's id, as it keys the per-frame scores of a session's analysis: a shipped
 * model's catalog id or an operator's own (`LUMEN_PASSIVE_MODELS`).
 */
export const PassiveModelKey = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, {
  message: "must be 1-64 characters of a-z, 0-9, '.' and '-', starting with a letter or digit",
});

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

/**
 * What a reference image shows: `portrait`, a photo of one person's face (exactly one usable
 * face); `document`, a photo of a whole identity document, whose largest face is the reference.
 */
export const ReferenceKind = z.enum(["portrait", "document"]);

/** The image media types `PUT /v1/sessions/{id}/reference-image` accepts. */
export const REFERENCE_MEDIA_TYPES = ["image/jpeg", "image/png"] as const;

/**
 * `PUT /v1/sessions/{id}/reference-image` response (relying party, API key). The server keeps
 * the face's embedding, never the image, and says nothing of the face (biometric data).
 */
export const AttachReferenceResponse = z.strictObject({
  sessionId,
  referenceImage: z.strictObject({ kind: ReferenceKind, attachedAt: epochMs }),
});

/**
 * The comparison of the live face with the session's reference image. `similarity` is
 * 1 − the Euclidean distance between the face embeddings (1: identical; `null` when the capture
 * yielded no face to compare); `threshold` is the policy's bound on it, set for the false-match
 * rate `fmr` measured on the development data (see `FACE_MATCH_POLICIES` in `@lumen/core`).
 */
export const FaceMatch = z.strictObject({
  similarity: z.number().min(-10).max(1).nullable(),
  threshold: z.number().min(-10).max(1),
  fmr: z.number().min(0).max(1),
  decision: z.enum(["match", "mismatch"]),
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

/** Screen colours an illumination challenge can use, as sRGB hex; `#000000` is the screen dark. */
export const FlashColour = z.enum([
  "#000000",
  "#ff0000",
  "#00ff00",
  "#0000ff",
  "#ffff00",
  "#ff00ff",
  "#00ffff",
]);

/**
 * How one illumination step lights the screen: all of it in one colour, or split in two halves
 * of different colours. `left-right` and `top-bottom` name the halves as the user sees the
 * screen, so the left half lights the user's left side (the right side of an unmirrored camera
 * image).
 */
export const IlluminationPattern = z.enum(["full", "left-right", "top-bottom"]);

/**
 * One step of the illumination sequence. `colours` are the left (or top) and right (or bottom)
 * halves; both the same for `full`, different for a split.
 */
export const IlluminationStep = z
  .strictObject({
    pattern: IlluminationPattern,
    colours: z.tuple([FlashColour, FlashColour]),
    durationMs: z.number().int().min(L.minIlluminationStepMs).max(2000),
  })
  .refine(
    (step) => (step.pattern === "full") === (step.colours[0] === step.colours[1]),
    "A full step has one colour; a split step has two different colours",
  );

/** Head-pose prompts. */
export const PoseDirection = z.enum(["left", "right", "up", "down"]);

/** The challenge the server draws at random for one session. */
export const Challenge = z.strictObject({
  /** The illumination sequence, shown in order; empty for the `no-flash` policy. */
  flashes: z.array(IlluminationStep).max(L.maxIlluminationSteps),
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
  width: boundedInt(1, 8192),
  height: boundedInt(1, 8192),
  /** The SDK's own scores for this frame; compared with the server's to spot a lying client. */
  scores: z
    .strictObject({
      faces: boundedInt(0, 16),
      liveness: boundedNumber(-1000, 1000).nullable(),
      realness: boundedNumber(0, 1).nullable(),
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
  iat: boundedInt(0, Number.MAX_SAFE_INTEGER),
  exp: boundedInt(0, Number.MAX_SAFE_INTEGER),
  frames: z.array(FrameClaim).min(1).max(L.maxFrames),
  /** When each illumination step appeared on screen, in challenge order (epoch ms). */
  flashesShownAt: z.array(epochMs).max(L.maxIlluminationSteps),
  /** When each pose prompt appeared on screen, in challenge order (epoch ms). */
  posesShownAt: z.array(epochMs).max(6),
  /** SHA-256 of the model manifest the SDK ran. */
  models: sha256Hex,
  /** Heuristic injection signals, reported not trusted. */
  signals: z.strictObject({
    virtualCameraLabel: z.boolean(),
    customSource: z.boolean(),
    /** Standard deviation of frame intervals (ms); a perfectly regular stream is suspicious. */
    frameIntervalStdMs: boundedNumber(0, 10_000).nullable(),
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

/** Mean linear-light RGB (sRGB transfer undone), each channel 0..1. */
const LinearRgb = z.tuple([z.number(), z.number(), z.number()]);

/**
 * Mean linear light of the face's regions and of a ring of background around the face in one
 * frame, as the server measured it on its own face mesh. `left` and `right` are the person's.
 */
export const FrameLight = z.strictObject({
  forehead: LinearRgb,
  nose: LinearRgb,
  leftCheek: LinearRgb,
  rightCheek: LinearRgb,
  chin: LinearRgb,
  /** `null` when the ring fell outside the frame. */
  background: LinearRgb.nullable(),
});

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
        /**
         * Every passive model's score of the frame's face (log-odds of a bona fide face, above 0
         * reads as real) by model id, an operator's own models included; `{}` without a face.
         */
        passive: z
          .record(PassiveModelKey, z.number())
          .refine((scores) => Object.keys(scores).length <= L.maxPassiveModels, {
            message: `at most ${L.maxPassiveModels} passive models`,
          }),
        /** Head yaw in degrees as estimated from the server's face mesh (not baseline-relative). */
        yawDegrees: z.number().nullable(),
        /** Head pitch in degrees as estimated from the server's face mesh (not baseline-relative). */
        pitchDegrees: z.number().nullable(),
        /**
         * The illumination step lit at capture time once the measured camera lag is taken off
         * (`shownAt + lagMs ≤ capturedAt < next shownAt + lagMs`), else `null`.
         */
        illuminationStep: z.number().int().min(0).max(L.maxIlluminationSteps).nullable(),
        /** The face regions' and the background's light in this frame; `null` without a face. */
        light: FrameLight.nullable(),
      }),
    )
    .max(L.maxFrames),
  /** The illumination challenge as measured; `null` under `no-flash`. */
  illumination: z
    .strictObject({
      /** One entry per step of the sequence, in order. */
      steps: z
        .array(
          z.strictObject({
            pattern: IlluminationPattern,
            colours: z.tuple([FlashColour, FlashColour]),
            /** When the SDK reports the step appeared (epoch ms); `null` if it reported none. */
            shownAt: epochMs.nullable(),
            durationMs: z.number().int(),
            /**
             * The face's mean response to the step: its light over its light in the dark steps,
             * minus 1, averaged over regions and channels; `null` without a frame in the step.
             */
            response: z.number().nullable(),
            /**
             * Split steps: the difference of side balance between the face's two sides (left
             * minus right cheek, or forehead minus chin) as measured and as the face mesh
             * predicts for a screen-sized light in front of it; `null` for full steps or when
             * unmeasurable.
             */
            sideContrast: z
              .strictObject({ observed: z.number(), predicted: z.number() })
              .nullable(),
          }),
        )
        .max(L.maxIlluminationSteps),
      /** The camera lag that best aligns the face's response with the sequence, in ms. */
      lagMs: z.number().nullable(),
      /** Correlation of the face's response with the sequence at that lag, −1..1. */
      correlation: z.number().nullable(),
      /** Regression slope of measured side contrasts on the mesh's predictions (1 = as predicted). */
      shapeAgreement: z.number().nullable(),
      /** How strongly the background ring responds relative to the face (0 = not at all). */
      backgroundRatio: z.number().nullable(),
    })
    .nullable(),
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
    /** Minimum fused passive score (`scores.passiveFused`) of the session. */
    passiveFused: z.number(),
    /** The illumination checks' bounds (see `illumination`). */
    illumination: z.strictObject({
      /** Minimum mean face response of the lit steps. */
      minResponse: z.number(),
      /** Minimum correlation with the sequence. */
      minCorrelation: z.number(),
      /** Camera lag bounds, ms. */
      lagMs: z.strictObject({ min: z.number(), max: z.number() }),
      /** Minimum `shapeAgreement`. */
      minShapeAgreement: z.number(),
      /** Maximum `backgroundRatio`. */
      maxBackgroundRatio: z.number(),
    }),
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
  /** The reference image attached to the session (never the image itself), or `null`. */
  referenceImage: z.strictObject({ kind: ReferenceKind, attachedAt: epochMs }).nullable(),
  /** The live face against the reference image; `null` without one or until completed. */
  match: FaceMatch.nullable(),
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
  /**
   * The live face against the relying party's reference image (`FACE_MISMATCH` in `reasons`
   * when it is not the same person); `null` when the session had no reference image.
   */
  match: FaceMatch.nullable(),
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
export type ReferenceKind = z.infer<typeof ReferenceKind>;
export type AttachReferenceResponse = z.infer<typeof AttachReferenceResponse>;
export type FaceMatch = z.infer<typeof FaceMatch>;
export type DevicePublicJwk = z.infer<typeof DevicePublicJwk>;
export type CaptureFacts = z.infer<typeof CaptureFacts>;
export type TrackSettingsSignal = z.infer<typeof TrackSettingsSignal>;
export type StartSessionRequest = z.infer<typeof StartSessionRequest>;
export type FlashColour = z.infer<typeof FlashColour>;
export type IlluminationPattern = z.infer<typeof IlluminationPattern>;
export type IlluminationStep = z.infer<typeof IlluminationStep>;
export type FrameLight = z.infer<typeof FrameLight>;
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
