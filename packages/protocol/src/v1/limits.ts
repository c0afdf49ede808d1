/**
 * Hard bounds of protocol v1, shared by the SDK (so it never builds what the server refuses)
 * and the server (which enforces them at the boundary).
 */
export const PROTOCOL_LIMITS = {
  /** Relying-party user reference. */
  referenceMaxLength: 128,
  cameraLabelMaxLength: 256,
  userAgentMaxLength: 512,
  /** Frames in one evidence upload, indexed from 0. */
  maxFrames: 24,
  /** Uploaded frames the server keeps for audit, each by its upload index. */
  maxAuditFrames: 4,
  /** Bytes of one JPEG frame. */
  maxFrameBytes: 400_000,
  /** Width × height of one frame after decoding. */
  maxFramePixels: 1280 * 1280,
  /** The whole evidence request body. */
  maxEvidenceBytes: 24 * 400_000 + 64_000,
  /** A result token (compact JWS). */
  maxTokenLength: 48_000,
  /** Any JSON request body. */
  maxJsonBytes: 16_384,
} as const;
