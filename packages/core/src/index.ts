export { sha256Hex } from "./crypto/sha256-hex.ts";
export { cropToTensor, type CropToTensorOptions } from "./image/crop-to-tensor.ts";
export type { PixelRect, RgbaImage } from "./image/rgba-image.ts";
export { getModelSpec, MODEL_CATALOG } from "./models/model-catalog.ts";
export { loadVerifiedModel, type ModelSource } from "./models/load-verified-model.ts";
export type { ModelInputSpec, ModelSpec } from "./models/model-spec.ts";
export { enlargeToSquare, landmarkBox, type NormalizedPoint } from "./vision/face-box.ts";
export { minifasnetInput, minifasnetScore } from "./vision/minifasnet.ts";
