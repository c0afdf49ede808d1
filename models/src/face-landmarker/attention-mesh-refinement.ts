/**
 * Where the attention face-mesh model's refined sub-outputs land in the 478-point layout of
 * MediaPipe Tasks: entry k of a region table is the mesh point that region point k replaces.
 * Irises are appended as points 468–472 (left) and 473–477 (right); their depth is the mean
 * depth of the 16 eye-contour points in `leftIrisDepth` / `rightIrisDepth`.
 *
 * These are numbers, not code: they restate the index tables of MediaPipe's
 * `mediapipe/tasks/cc/vision/face_landmarker/tensors_to_face_landmarks_graph.cc`
 * (google-ai-edge/mediapipe, Apache-2.0). `../shared/notes/face-mesh-refinement-indices.json`
 * must not be used instead: it lost the first index of every commented group (61, 185, 78…,
 * 33, 246…, the iris indices) and shows them as null.
 *
 * @example
 * ```ts
 * ATTENTION_MESH_REFINEMENT.lips[0]; // 61, the right mouth corner
 * ```
 */
export const ATTENTION_MESH_REFINEMENT = {
  meshPoints: 468,
  lips: [
    // Lower outer, upper outer (without corners), lower inner, upper inner.
    61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409, 78,
    95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 191, 80, 81, 82, 13, 312, 311, 310, 415,
    // Lower semi-outer, upper semi-outer, lower semi-inner, upper semi-inner.
    76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306, 184, 74, 73, 72, 11, 302, 303, 304, 408, 62,
    96, 89, 179, 86, 15, 316, 403, 319, 325, 292, 183, 42, 41, 38, 12, 268, 271, 272, 407,
  ],
  leftEye: [
    // Eye contour (lower, upper), then halos 2–5 and the eyebrow.
    33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173, 130, 25, 110, 24,
    23, 22, 26, 112, 243, 247, 30, 29, 27, 28, 56, 190, 226, 31, 228, 229, 230, 231, 232, 233, 244,
    113, 225, 224, 223, 222, 221, 189, 35, 124, 46, 53, 52, 65, 143, 111, 117, 118, 119, 120, 121,
    128, 245, 156, 70, 63, 105, 66, 107, 55, 193,
  ],
  rightEye: [
    263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398, 359, 255, 339,
    254, 253, 252, 256, 341, 463, 467, 260, 259, 257, 258, 286, 414, 446, 261, 448, 449, 450, 451,
    452, 453, 464, 342, 445, 444, 443, 442, 441, 413, 265, 353, 276, 283, 282, 295, 372, 340, 346,
    347, 348, 349, 350, 357, 465, 383, 300, 293, 334, 296, 336, 285, 417,
  ],
  // The eye contour: the first 16 entries of the eye tables.
  leftIrisDepth: [33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173],
  rightIrisDepth: [263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398],
  irisPoints: 5,
} as const;
