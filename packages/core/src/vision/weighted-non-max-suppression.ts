import type { PixelPoint, PixelRect } from "../image/rgba-image.ts";
import type { FaceDetection } from "./face-detection.ts";

function iou(p: PixelRect, q: PixelRect): number {
  const w = Math.min(p.x + p.width, q.x + q.width) - Math.max(p.x, q.x);
  const h = Math.min(p.y + p.height, q.y + q.height) - Math.max(p.y, q.y);
  if (w <= 0 || h <= 0) return 0;
  const intersection = w * h;
  const union = p.width * p.height + q.width * q.height - intersection;
  return union > 0 ? intersection / union : 0;
}

/**
 * MediaPipe's weighted non-maximum suppression (`NonMaxSuppressionCalculator`, `WEIGHTED`):
 * take the best remaining detection, gather every remaining one overlapping it by more than
 * `minSuppressionIou` (itself included), and output the score-weighted mean of their box
 * edges and keypoints with the best one's score. Averaging the neighbouring anchors' votes
 * steadies the box from frame to frame, where plain NMS jitters between anchors.
 *
 * One deliberate difference: the best detection always joins its own cluster, even with a
 * zero-area box, where MediaPipe stops the whole loop.
 *
 * @returns the merged detections, best first.
 * @example
 * ```ts
 * const faces = weightedNonMaxSuppression(candidates, FACE_DETECTOR_MIN_SUPPRESSION_IOU);
 * ```
 */
export function weightedNonMaxSuppression(
  detections: readonly FaceDetection[],
  minSuppressionIou: number,
): FaceDetection[] {
  // Array.prototype.sort is stable, so equal scores keep anchor order.
  let remaining = [...detections].sort((p, q) => q.score - p.score);
  const merged: FaceDetection[] = [];
  for (let best = remaining[0]; best !== undefined; best = remaining[0]) {
    const rest: FaceDetection[] = [];
    const keypointCount = best.keypoints.length;
    // Keypoint sums interleaved x, y.
    const keypointSums = new Float64Array(2 * keypointCount);
    let total = 0;
    let left = 0;
    let top = 0;
    let right = 0;
    let bottom = 0;
    for (const candidate of remaining) {
      if (candidate !== best && !(iou(candidate.box, best.box) > minSuppressionIou)) {
        rest.push(candidate);
        continue;
      }
      const { score, box, keypoints } = candidate;
      total += score;
      left += box.x * score;
      top += box.y * score;
      right += (box.x + box.width) * score;
      bottom += (box.y + box.height) * score;
      for (let k = 0; k < keypointCount; k++) {
        const point = keypoints[k];
        keypointSums[2 * k] = (keypointSums[2 * k] ?? 0) + (point?.x ?? 0) * score;
        keypointSums[2 * k + 1] = (keypointSums[2 * k + 1] ?? 0) + (point?.y ?? 0) * score;
      }
    }
    if (total > 0) {
      const keypoints: PixelPoint[] = [];
      for (let k = 0; k < keypointCount; k++) {
        keypoints.push({
          x: (keypointSums[2 * k] ?? 0) / total,
          y: (keypointSums[2 * k + 1] ?? 0) / total,
        });
      }
      const x = left / total;
      const y = top / total;
      merged.push({
        score: best.score,
        box: { x, y, width: right / total - x, height: bottom / total - y },
        keypoints,
      });
    } else {
      // All-zero scores leave nothing to weigh by; keep the best box as it is.
      merged.push(best);
    }
    remaining = rest;
  }
  return merged;
}
