export { sha256Hex } from "./crypto/sha256-hex.ts";
export { applyAffine, invertAffine, type AffineTransform } from "./image/affine-transform.ts";
export type { BorderMode } from "./image/border-mode.ts";
export { cropToTensor, type CropToTensorOptions } from "./image/crop-to-tensor.ts";
export type { PixelPoint, PixelRect, RgbaImage } from "./image/rgba-image.ts";
export { rotatedRectTransform, type RotatedRect } from "./image/rotated-rect.ts";
export { fitSimilarity } from "./image/similarity-transform.ts";
export { warpToTensor, type WarpToTensorOptions } from "./image/warp-to-tensor.ts";
export { getModelSpec, MODEL_CATALOG } from "./models/model-catalog.ts";
export { loadVerifiedModel, type ModelSource } from "./models/load-verified-model.ts";
export type { ModelInputSpec, ModelSpec } from "./models/model-spec.ts";
export {
  analyseFrame,
  type AnalysedFace,
  type ClassifierRunner,
  type FrameAnalysis,
  type FrameAnalysisRunners,
  type PassiveRunner,
} from "./vision/analyse-frame.ts";
export {
  locateFace,
  type FaceLocation,
  type FaceLocationRunners,
  type LocatedFace,
} from "./vision/locate-face.ts";
export {
  ANALYSIS_MODEL_IDS,
  analysisModelsHash,
  bindOnnxFaceEmbeddingRunner,
  bindOnnxPassiveRunner,
  bindOnnxRunners,
  type FrameAnalysisSessions,
  type OnnxOutputLike,
  type OnnxSessionLike,
} from "./vision/bind-onnx-runners.ts";
export {
  decodeFaceDetections,
  type FaceDetectionOptions,
  type FaceDetectorOutputs,
  type ResolvedFaceDetectionOptions,
} from "./vision/decode-face-detections.ts";
export {
  decodeFaceMesh,
  type DecodeFaceMeshOptions,
  type FaceMeshOutputs,
} from "./vision/decode-face-mesh.ts";
export {
  detectFaceLandmarks,
  type DetectFaceLandmarksOptions,
  type FaceMeshRunner,
} from "./vision/detect-face-landmarks.ts";
export { detectFaces, type FaceDetectorRunner } from "./vision/detect-faces.ts";
export { enlargeToSquare, landmarkBox, type NormalizedPoint } from "./vision/face-box.ts";
export {
  FACE_CHIP_LANDMARKS,
  FACE_CHIP_PADDING,
  FACE_CHIP_SIZE,
  faceChipInput,
  faceChipTransform,
} from "./vision/face-chip.ts";
export type { FaceDetection } from "./vision/face-detection.ts";
export { faceDistance } from "./vision/face-distance.ts";
export {
  FACE_EMBEDDING_LENGTH,
  faceEmbedding,
  type FaceEmbeddingRunner,
} from "./vision/face-embedding.ts";
export {
  FACE_DETECTOR_ANCHOR_COUNT,
  FACE_DETECTOR_ANCHOR_OPTIONS,
  FACE_DETECTOR_INPUT_SIZE,
  FACE_DETECTOR_KEYPOINTS,
  FACE_DETECTOR_MIN_SCORE,
  FACE_DETECTOR_MIN_SUPPRESSION_IOU,
  FACE_DETECTOR_SCORE_CLIP,
} from "./vision/face-detector-constants.ts";
export {
  faceDetectorInput,
  type FaceDetectorInput,
  type FaceDetectorInputOptions,
} from "./vision/face-detector-input.ts";
export type { FaceLandmarks } from "./vision/face-landmarks.ts";
export {
  FACE_MESH_INPUT_SIZE,
  FACE_MESH_LANDMARK_COUNT,
  FACE_MESH_MIN_PRESENCE,
  FACE_MESH_ROI_SCALE,
} from "./vision/face-mesh-constants.ts";
export { faceMeshInput, type FaceMeshInputOptions } from "./vision/face-mesh-input.ts";
export { faceMeshRoi, type FaceMeshRoiOptions } from "./vision/face-mesh-roi.ts";
export {
  frameToLetterbox,
  letterbox,
  letterboxToFrame,
  type Letterbox,
} from "./vision/letterbox.ts";
export { landmarksBox } from "./vision/landmarks-box.ts";
export { meanEmbedding } from "./vision/mean-embedding.ts";
export {
  embedReferenceFace,
  REFERENCE_LUMA_RANGE,
  REFERENCE_MIN_EYE_SPAN_PX,
  REFERENCE_MIN_SHARPNESS,
  type ReferenceFaceRunners,
} from "./vision/reference-face.ts";
export type { PassiveCrop, PassiveModel, PassiveOutput } from "./passive/passive-model.ts";
export {
  fusePassive,
  passiveFeatures,
  type FusionOperatingPoint,
  type LogisticCoefficients,
  type PassiveFusion,
} from "./passive/passive-fusion.ts";
export { PASSIVE_FUSION } from "./passive/pinned-passive-fusion.ts";
export { extendPassiveFusion, type PassiveFusionTerm } from "./passive/extend-passive-fusion.ts";
export { isPassiveFrame, PASSIVE_FRAMES_PER_SESSION } from "./passive/passive-frame-indices.ts";
export { passiveCropRect } from "./passive/passive-crop-rect.ts";
export { passiveInputKey, passiveModelInput } from "./passive/passive-model-input.ts";
export { logOdds, passiveModelScore } from "./passive/passive-model-score.ts";
export {
  PASSIVE_MODELS,
  SERVER_PASSIVE_MODEL_IDS,
  type PassiveModelId,
} from "./passive/passive-models.ts";
export { sigmoid } from "./vision/sigmoid.ts";
export { ssdAnchors, type SsdAnchorOptions } from "./vision/ssd-anchors.ts";
export { weightedNonMaxSuppression } from "./vision/weighted-non-max-suppression.ts";
export {
  assessEvidence,
  type AssessEvidenceInput,
  type AssessEvidenceResult,
} from "./challenges/assess-evidence.ts";
export { decide, type DecisionInput, type DecisionResult } from "./challenges/decide.ts";
export {
  DECISION_THRESHOLDS,
  MIN_FRAME_INTERVAL_MS,
  MIN_FRAME_INTERVAL_STD_MS,
  type DecisionThresholds,
} from "./challenges/decision-thresholds.ts";
export {
  evaluateFaceConsistency,
  FACE_BOX_MAX_JUMP,
  FACE_BOX_MAX_SCALE,
  FACE_IDENTITY_MAX_STEP,
  type FaceConsistencyOptions,
  type FaceConsistencyResult,
} from "./challenges/evaluate-face-consistency.ts";
export {
  evaluatePoseSequence,
  POSE_MAX_REACTION_MS,
  POSE_PITCH_THRESHOLD_DEGREES,
  POSE_YAW_THRESHOLD_DEGREES,
  type PoseFrame,
  type PoseSequenceOptions,
  type PoseSequenceResult,
  type PromptOutcome,
} from "./challenges/evaluate-pose-sequence.ts";
export {
  evaluateFaceMatch,
  FACE_MATCH_AT_FMR_0_1_PERCENT,
  FACE_MATCH_AT_FMR_1_PERCENT,
  FACE_MATCH_FRAMES,
  type FaceMatchThreshold,
} from "./challenges/evaluate-face-match.ts";
export { faceQuality, type FaceQuality } from "./challenges/face-quality.ts";
export type { FaceEvidence, FrameEvidence } from "./challenges/frame-evidence.ts";
export { estimateHeadPose, type HeadPose } from "./challenges/head-pose.ts";
export { summariseFrame } from "./challenges/summarise-frame.ts";
export { flashesPerSecond, WCAG_MAX_FLASHES_PER_SECOND } from "./illumination/photosensitivity.ts";
export {
  colourToLinear,
  linearToSrgb,
  SRGB_TO_LINEAR,
  srgbToLinear,
  type LinearRgb,
} from "./illumination/linear-light.ts";
export {
  halfIrradiance,
  SCREEN_GEOMETRY,
  screenLight,
  type HalfIrradiance,
  type ScreenGeometry,
  type Vec3,
} from "./illumination/screen-light.ts";
export {
  poseProgress,
  type PoseBaseline,
  type PoseThresholds,
} from "./challenges/pose-progress.ts";
export {
  BACKGROUND_CELL_NAMES,
  BACKGROUND_CELLS,
  FACE_REGION_LANDMARKS,
  FACE_REGION_NAMES,
  type BackgroundCellName,
  type FaceRegionName,
} from "./illumination/face-regions.ts";
export {
  evaluateIllumination,
  ILLUMINATION_CORRELATION_TIE,
  ILLUMINATION_LAG_MS,
  ILLUMINATION_LAG_SEARCH_MS,
  ILLUMINATION_MAX_BACKGROUND_RATIO,
  ILLUMINATION_MAX_SHAPE_AGREEMENT,
  ILLUMINATION_MIN_CORRELATION,
  ILLUMINATION_MIN_RESPONSE,
  ILLUMINATION_MIN_SHAPE_AGREEMENT,
  type IlluminationFrame,
  type IlluminationOptions,
  type IlluminationReason,
  type IlluminationResult,
  type IlluminationStepOutcome,
  type IlluminationThresholds,
} from "./illumination/evaluate-illumination.ts";
export {
  illuminationStepAt,
  validIlluminationSchedule,
} from "./illumination/illumination-step-at.ts";
export {
  measureFrameLight,
  type MeasuredLight,
  type RegionLight,
} from "./illumination/measure-frame-light.ts";
export { surfaceNormal } from "./illumination/surface-normal.ts";
export { median } from "./challenges/median.ts";
