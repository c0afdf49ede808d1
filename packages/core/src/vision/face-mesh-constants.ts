/** Side of the face mesh model's square input. */
export const FACE_MESH_INPUT_SIZE = 192;

/** Landmarks the (non-attention) face mesh model predicts. */
export const FACE_MESH_LANDMARK_COUNT = 468;

/**
 * The detector box's longer side is enlarged by this for the mesh crop, as MediaPipe's
 * `face_detection_front_detection_to_roi.pbtxt` does (`scale_x/y: 1.5`, `square_long`): the
 * detector's box is tight around eyes and mouth, the mesh was trained on the whole head.
 */
export const FACE_MESH_ROI_SCALE = 1.5;

/**
 * Below this face presence (sigmoid of the mesh's `face_flag`) the landmarks are dropped, as
 * MediaPipe's face landmark graph and tfjs face-landmarks-detection do (threshold 0.5): the
 * crop holds no face (the subject left, or the detection was a false positive), and the mesh
 * still returns a confident-looking but meaningless face shape.
 */
export const FACE_MESH_MIN_PRESENCE = 0.5;
