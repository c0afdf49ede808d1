import type { AnalysisClient } from "@lumen/sdk";
import type { FrameScores } from "../frame-scores.ts";

/**
 * Runs the SDK's analysis worker on each frame image in turn (waiting for each, so none is
 * dropped) and returns its scores with the mean analysis time.
 *
 * @example
 * ```ts
 * const { frames, meanAnalysisMs } = await analyseFrameUrls(client, input.frameUrls);
 * ```
 */
export async function analyseFrameUrls(
  client: AnalysisClient,
  urls: readonly string[],
): Promise<{ frames: FrameScores[]; meanAnalysisMs: number }> {
  const frames: FrameScores[] = [];
  let analysisMs = 0;
  for (const url of urls) {
    const bitmap = await createImageBitmap(await (await fetch(url)).blob());
    const pending = client.offer(bitmap, {
      evidence: false,
      scores: true,
      maxPixels: 1280 * 1280,
      maxJpegBytes: 1 << 20,
    });
    if (!pending) throw new Error("the worker was busy");
    const result = await pending;
    analysisMs += result.analysisMs;
    frames.push({
      faces: result.faces,
      presence: result.face?.presence ?? null,
      liveness: result.face?.liveness ?? null,
      realness: result.face?.realness ?? null,
      points: result.face ? Array.from(result.face.points) : [],
    });
  }
  return { frames, meanAnalysisMs: analysisMs / Math.max(1, frames.length) };
}
