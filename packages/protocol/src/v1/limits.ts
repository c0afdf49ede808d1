/**
 * Hard bounds of protocol v1, shared by the SDK (so it never builds what the server refuses)
 * and the server (which enforces them at the boundary).
 */
export const PROTOCOL_LIMITS = {
  /** Relying-party user reference. */
  referenceMaxLength: 128,
  cameraLabelMaxLength: 256,
  userAgentMaxLength: 512,
  /**
   * Frames in one evidence upload, indexed from 0: room for six frames in each illumination
   * step (the SDK's `ILLUMINATION_STEP_SHARE`), so that a standard challenge's evidence is 57
   * frames at most.
   */
  maxFrames: 64,
  /** Passive models scored per frame in a session's analysis (the shipped ones and an operator's). */
  maxPassiveModels: 16,
  /** Uploaded frames the server keeps for audit, each by its upload index. */
  maxAuditFrames: 4,
  /** Bytes of one JPEG frame. */
  maxFrameBytes: 400_000,
  /** Width × height of one frame after decoding. */
  maxFramePixels: 1280 * 1280,
  /** The whole evidence request body. */
  maxEvidenceBytes: 64 * 400_000 + 64_000,
  /** A result token (compact JWS). */
  maxTokenLength: 48_000,
  /** Steps of one illumination sequence. */
  maxIlluminationSteps: 12,
  /**
   * The shortest illumination step. Each step boundary is at most one luminance change, so at
   * most 1000 / 300 < 4 changes, fewer than two flashes (a change and its return), fall in any
   * second: within WCAG 2.3.1's three flashes.
   */
  minIlluminationStepMs: 300,
  /** Bytes of a reference image (a portrait or a photo of an identity document). */
  maxReferenceBytes: 8_000_000,
  /** Width × height of a reference image, refused before decoding above it. */
  maxReferencePixels: 40_000_000,
  /** Any JSON request body. */
  maxJsonBytes: 16_384,
} as const;
