import { PROTOCOL_LIMITS } from "@lumen/protocol";

/**
 * The bounds of one evaluation run. Inputs are bounded before decoding (bytes, then declared
 * pixels); frames handed to the pipeline are bounded as the server bounds uploaded frames.
 *
 * @example
 * ```ts
 * EVAL_LIMITS.sampleFps; // 5
 * ```
 */
export const EVAL_LIMITS = {
  /** Largest image file read (jpg, jpeg, png). */
  maxImageBytes: 25 * 2 ** 20,
  /** Largest video file read (mp4, mov, webm). */
  maxVideoBytes: 200 * 2 ** 20,
  /** Largest decoded input image or video frame, width × height, before any downscaling. */
  maxInputPixels: 50_000_000,
  /**
   * Frames bigger than the server accepts (`PROTOCOL_LIMITS.maxFramePixels`) are downscaled to
   * fit, keeping the aspect ratio, so the pipeline sees what a server could be sent.
   */
  maxFramePixels: PROTOCOL_LIMITS.maxFramePixels,
  /**
   * Video sampling rate, frames per second of video time from the start. 5 fps puts frames
   * 200 ms apart, inside the 100–300 ms spacing the core's face-consistency thresholds assume
   * (they were measured at 5 fps); with `maxVideoFrames` (40) that covers the first 8 s, about one
   * session.
   */
  sampleFps: 5,
  /**
   * Frames sampled per video at most: the first 8 s at `sampleFps`, about one session's
   * length. The server's upload bound (`PROTOCOL_LIMITS.maxFrames`) is larger, for the denser
   * frames of the illumination steps, which a video sampled at 5 fps does not have.
   */
  maxVideoFrames: 40,
  /**
   * Items whose face is wider than this fraction of the frame's shorter side are face-only
   * crops, without the context a camera frame has (the SDK's frames put the face at 0.2–0.6 of
   * the frame); the passive report scores them apart from the supported input.
   */
  maxContextFaceSize: 0.8,
  /** Longest one ffmpeg decode may run before it is killed and the item skipped. */
  ffmpegTimeoutMs: 120_000,
  /**
   * `--identities`: every impostor pair (two people's images) is compared up to this many;
   * above it, an evenly spaced (systematic) sample of this many, in the fixed order of the
   * sorted image list, so a run is reproducible without a random seed.
   */
  maxImpostorPairs: 200_000,
  /** `--identities`: images read at most (sorted by person, then name); the rest are skipped. */
  maxIdentityImages: 5_000,
} as const;

/** Extensions read as JPEG (by the server's own decoder). */
export const JPEG_EXTENSIONS = [".jpg", ".jpeg"] as const;
/** Extensions read as PNG (by ffmpeg). */
export const PNG_EXTENSIONS = [".png"] as const;
/** Extensions read as video (by ffmpeg). */
export const VIDEO_EXTENSIONS = [".mp4", ".mov", ".webm"] as const;
