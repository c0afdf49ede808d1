// The attacker's rehearsal: before an adaptive attack, find in the media where the face looks
// straight at the camera, with the SDK's own analysis worker (the server's face mesh) and the
// head pose the server computes; keep those frames' landmarks to turn the face.
import { estimateHeadPose, type HeadPose, type PixelRect } from "@lumen/core";
import { PROTOCOL_LIMITS } from "@lumen/protocol";
import { createAnalysisClient, startAnalysisWorker } from "@lumen/sdk";
import { DEMO_ASSETS } from "../sdk-assets.ts";
import type { MediaFrame } from "./load-media.ts";
import { NEUTRAL_FRAMES, neutralStretch } from "./neutral-stretch.ts";

/** A frame with the one face the analysis found in it. */
export interface StudiedFrame extends MediaFrame {
  readonly box: PixelRect;
  /**
   * The face mesh's 468 landmarks, `x, y, z` in frame pixels (`z` on the `x` scale, smaller
   * nearer: core's mesh conventions, as `@lumen/relight` takes them).
   */
  readonly points: Float32Array;
  readonly pose: HeadPose;
}

/** What {@link studyFrames} learns of the media. */
export interface FrameStudy {
  /**
   * A stretch of consecutive frames where the face looks straight at the camera, in media order:
   * the subject holding still in front of the screen.
   */
  readonly neutral: readonly StudiedFrame[];
}

/**
 * Analyses every frame and picks the stretch of frames closest to the media's median pose.
 *
 * @throws {Error} When no frame shows exactly one face.
 * @example
 * ```ts
 * const study = await studyFrames(await loadMedia(file), (done, total) => progress(done / total));
 * ```
 */
export async function studyFrames(
  frames: readonly MediaFrame[],
  onProgress: (done: number, total: number) => void,
): Promise<FrameStudy> {
  const analysis = createAnalysisClient(startAnalysisWorker());
  const faceFrames: StudiedFrame[] = [];
  try {
    const { modelBaseUrl, wasmBaseUrl } = DEMO_ASSETS;
    await analysis.init({
      modelBaseUrl: String(modelBaseUrl),
      wasmBaseUrl: String(wasmBaseUrl ?? modelBaseUrl),
      preferWebGpu: false,
    });
    for (const [i, frame] of frames.entries()) {
      const { width, height } = frame.bitmap;
      // The worker takes ownership of what it is given: send a copy, keep the frame. At its own
      // size (no evidence is made), so the landmarks are in the frame's pixels; the face's place
      // and mesh only, no scores.
      const result = await analysis.offer(await createImageBitmap(frame.bitmap), {
        evidence: false,
        scores: false,
        maxPixels: width * height,
        maxJpegBytes: PROTOCOL_LIMITS.maxFrameBytes,
      });
      if (result?.faces === 1 && result.face) {
        const { box, points } = result.face;
        faceFrames.push({ ...frame, box, points, pose: estimateHeadPose(points) });
      }
      onProgress(i + 1, frames.length);
    }
  } finally {
    analysis.terminate();
  }
  if (faceFrames.length === 0) throw new Error("No frame of this media shows exactly one face");
  return { neutral: neutralStretch(faceFrames, NEUTRAL_FRAMES) };
}
