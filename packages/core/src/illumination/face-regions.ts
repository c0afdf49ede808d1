/** The face regions whose light the illumination checks compare; `left`/`right` are the person's. */
export type FaceRegionName = "forehead" | "nose" | "leftCheek" | "rightCheek" | "chin";

/** Every {@link FaceRegionName}, in the order the wire's `FrameLight` lists them. */
export const FACE_REGION_NAMES: readonly FaceRegionName[] = [
  "forehead",
  "nose",
  "leftCheek",
  "rightCheek",
  "chin",
];

/**
 * Face-mesh landmarks (MediaPipe's canonical 468-point topology, the first 468 of the 478-point
 * variant) that outline each region; a region's pixels are those inside the convex hull of its
 * landmarks, and its surface normal is the plane fitted through their 3D points. Chosen on a
 * frontal mesh of the genuine video d12 (`test/fixtures/frontal-face-mesh.json`):
 *
 * - forehead: the band above the brows (10, 109/338, 108/337, 151, 69/299, 9); the brows (107,
 *   336) and temples (67, 297) are left out because hair and brow hair cover them.
 * - nose: the ridge (195, 197, 5, 4, 1) with the sides of the bridge and tip (51/281, 45/275),
 *   so the hull has width and the plane a second direction; the nostrils are left out.
 * - cheeks: the cheek's front (280, 425, 411, 427, 436, 426, 266, 330 and their mirrors 50,
 *   205, 187, 207, 216, 206, 36, 101), below the lower eyelid and well inside the jaw contour,
 *   so a 20° turn keeps them in view. The person's left cheek is on the image's right.
 * - chin: below the lower lip (200, 199, 175, 152, 208/428, 171/396, 148/377, 176/400).
 *
 * @example
 * ```ts
 * FACE_REGION_LANDMARKS.leftCheek.includes(280); // true
 * ```
 */
export const FACE_REGION_LANDMARKS: Readonly<Record<FaceRegionName, readonly number[]>> = {
  forehead: [10, 109, 338, 108, 151, 337, 69, 299, 9],
  nose: [1, 4, 5, 195, 197, 45, 275, 51, 281],
  leftCheek: [266, 280, 330, 411, 425, 426, 427, 436],
  rightCheek: [36, 50, 101, 187, 205, 206, 207, 216],
  chin: [152, 175, 199, 200, 148, 377, 171, 396, 208, 428, 176, 400],
};

/** The background cells beside and above the face, in the order `MeasuredLight` lists them. */
export type BackgroundCellName = "besideRight" | "besideLeft" | "above";

/**
 * Where the background is measured, in landmark-box units from the box's centre (`x` in box
 * widths, `y` in box heights, `y` down). The box of the 468 landmarks runs from the upper
 * forehead to the chin and from cheek contour to cheek contour; the head with its hair reaches
 * about a third of a box height above it and a tenth to a quarter of a width beside it. So the
 * cells sit beside the face from 0.7 to 0.95 widths out (1.4–1.9× the box), from a quarter
 * height above the box down to its centre only (lower, the neck and shoulders come in), and above the head from
 * 0.95 to 1.25 heights above the centre, clipped to the frame. A lighter ring right around the
 * box (1.25–1.6×) would be hair on most people: hair is at the face's distance and answers the
 * screen like skin, which is what the background check must not see.
 */
export const BACKGROUND_CELLS: Readonly<
  Record<BackgroundCellName, { x0: number; x1: number; y0: number; y1: number }>
> = {
  // The image's right of the face (the person's left) and its left (the person's right).
  besideRight: { x0: 0.7, x1: 0.95, y0: -0.75, y1: 0 },
  besideLeft: { x0: -0.95, x1: -0.7, y0: -0.75, y1: 0 },
  above: { x0: -0.5, x1: 0.5, y0: -1.25, y1: -0.95 },
};

/** Every {@link BackgroundCellName}, in order. */
export const BACKGROUND_CELL_NAMES: readonly BackgroundCellName[] = [
  "besideRight",
  "besideLeft",
  "above",
];
