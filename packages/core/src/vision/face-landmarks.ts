import type { RotatedRect } from "../image/rotated-rect.ts";

/** The face mesh's result for one face. Pure data. */
export interface FaceLandmarks {
  /**
   * 468 landmarks as `x, y, z` triples (1404 numbers) in frame pixels, in the mesh's canonical
   * order. `z` is depth relative to the face's centre, in the same pixel units as `x` (smaller
   * is nearer the camera). One flat array: no per-point objects on the per-frame path.
   */
  readonly points: Float32Array;
  /** Probability (0..1) that the crop holds a face: sigmoid of the mesh's `face_flag`. */
  readonly presence: number;
  /** The crop the landmarks were found in. */
  readonly roi: RotatedRect;
}
