import { buildFaceLandmarkerTask } from "./face-landmarker/build-face-landmarker-task.ts";
import { extractPackedAssets } from "./face-landmarker/extract-packed-assets.ts";
import { convertFaceRecognitionToOnnx } from "./face-recognition/convert-face-recognition.ts";
import { convertHyperfasToOnnx } from "./hyperfas/convert-hyperfas.ts";
import { convertMesoInceptionToOnnx } from "./mesonet/convert-mesoinception.ts";
import { convertMesonetToOnnx } from "./mesonet/convert-mesonet.ts";
import { convertSilentFaceToOnnx } from "./silentface/convert-silentface.ts";
import { convertTfliteToOnnx } from "./tflite-onnx/convert-tflite-to-onnx.ts";
import {
  FACE_DETECTOR_ONNX_OPTIONS,
  FACE_MESH_ONNX_OPTIONS,
} from "./tflite-onnx/mediapipe-face-onnx-options.ts";
import type { ModelRecipe } from "./model-recipe.ts";
import { SOURCE_FILES } from "./sources/source-files.ts";

function faceMeshMember(sources: readonly Uint8Array[], name: string): Uint8Array {
  const [data, loader] = only(sources, 2) as [Uint8Array, Uint8Array];
  return member(extractPackedAssets(data, new TextDecoder().decode(loader)), name);
}

function member(assets: ReadonlyMap<string, Uint8Array>, name: string): Uint8Array {
  for (const [path, bytes] of assets) if (path.endsWith(`/${name}`)) return bytes;
  throw new Error(`The face mesh package has no ${name}`);
}

// The name face-api's weights manifest gives its one weights file in `paths`.
const FACE_RECOGNITION_SHARD = "face_recognition_model.bin";

function only<T>(sources: readonly T[], count: number): T[] {
  if (sources.length !== count) throw new Error(`Expected ${count} sources, got ${sources.length}`);
  return [...sources];
}

/**
 * Every model `pnpm models` builds, in the order of `@lumen/core`'s catalog.
 *
 * @example
 * ```ts
 * const recipe = MODEL_RECIPES.find((r) => r.id === "face-landmarker");
 * ```
 */
export const MODEL_RECIPES: readonly ModelRecipe[] = [
  {
    id: "face-landmarker",
    method:
      "MediaPipe Tasks bundle assembled from the legacy face detector and attention face mesh: TFLite metadata added, mesh sub-outputs fused into 478 landmarks with 1x1 convolutions, members stored uncompressed",
    sources: [SOURCE_FILES.faceMeshAssets, SOURCE_FILES.faceMeshAssetsLoader],
    build: (sources) => {
      return buildFaceLandmarkerTask({
        detector: faceMeshMember(sources, "face_detection_short_range.tflite"),
        landmarksWithAttention: faceMeshMember(sources, "face_landmark_with_attention.tflite"),
        geometryMetadata: faceMeshMember(sources, "geometry_pipeline_metadata_landmarks.binarypb"),
      });
    },
  },
  {
    id: "face-detector",
    method:
      "face_detection_short_range.tflite converted to ONNX (opset 17, NCHW, float16 weights widened to float32)",
    sources: [SOURCE_FILES.faceMeshAssets, SOURCE_FILES.faceMeshAssetsLoader],
    build: (sources) =>
      convertTfliteToOnnx(
        faceMeshMember(sources, "face_detection_short_range.tflite"),
        FACE_DETECTOR_ONNX_OPTIONS,
      ),
  },
  {
    id: "face-mesh",
    method:
      "face_landmark.tflite (468 points) converted to ONNX (opset 17, NCHW, float16 weights widened to float32)",
    sources: [SOURCE_FILES.faceMeshAssets, SOURCE_FILES.faceMeshAssetsLoader],
    build: (sources) =>
      convertTfliteToOnnx(faceMeshMember(sources, "face_landmark.tflite"), FACE_MESH_ONNX_OPTIONS),
  },
  {
    id: "minifasnet-v2-se",
    method: "copied unchanged",
    sources: [SOURCE_FILES.minifasnetFp32],
    build: (sources) => only(sources, 1)[0] as Uint8Array,
  },
  {
    id: "minifasnet-v2-se-int8",
    method: "copied unchanged",
    sources: [SOURCE_FILES.minifasnetInt8],
    build: (sources) => only(sources, 1)[0] as Uint8Array,
  },

  {
    id: "mesonet4-df",
    method: "Keras HDF5 weights read with jsfive, Meso4 rebuilt as an ONNX graph (opset 17)",
    sources: [SOURCE_FILES.mesonetDf],
    build: (sources) => convertMesonetToOnnx(only(sources, 1)[0] as Uint8Array),
  },
  {
    id: "mesonet4-f2f",
    method: "Keras HDF5 weights read with jsfive, Meso4 rebuilt as an ONNX graph (opset 17)",
    sources: [SOURCE_FILES.mesonetF2f],
    build: (sources) => convertMesonetToOnnx(only(sources, 1)[0] as Uint8Array),
  },
  {
    id: "mesoinception4-df",
    method:
      "Keras HDF5 weights read with jsfive, MesoInception4 rebuilt as an ONNX graph (opset 17)",
    sources: [SOURCE_FILES.mesoInceptionDf],
    build: (sources) => convertMesoInceptionToOnnx(only(sources, 1)[0] as Uint8Array),
  },
  {
    id: "mesoinception4-f2f",
    method:
      "Keras HDF5 weights read with jsfive, MesoInception4 rebuilt as an ONNX graph (opset 17)",
    sources: [SOURCE_FILES.mesoInceptionF2f],
    build: (sources) => convertMesoInceptionToOnnx(only(sources, 1)[0] as Uint8Array),
  },
  {
    id: "hyperfas",
    method:
      "Keras HDF5 model read with jsfive, its MobileNet-0.5 rebuilt from the file's model_config as an ONNX graph (opset 17, NCHW, BGR (value - 127.5) / 127.5 input) with every BatchNormalization folded into the convolution before it",
    sources: [SOURCE_FILES.hyperfas],
    build: (sources) => convertHyperfasToOnnx(only(sources, 1)[0] as Uint8Array),
  },
  {
    id: "face-recognition-resnet29",
    method:
      "TF.js weights manifest and uint8-quantized weights read in pure JS (dequantized as TF.js does), face-api's FaceRecognitionNet rebuilt as an ONNX graph (opset 17, NCHW) with dlib's affine layers folded into the convolutions",
    sources: [SOURCE_FILES.faceRecognitionManifest, SOURCE_FILES.faceRecognitionWeights],
    build: (sources) => {
      const [manifest, weights] = only(sources, 2) as [Uint8Array, Uint8Array];
      return convertFaceRecognitionToOnnx({
        manifest,
        shards: { [FACE_RECOGNITION_SHARD]: weights },
      });
    },
  },
  {
    id: "silentface-minifasnet-v2",
    method:
      "legacy PyTorch state_dict read in pure JS, Silent-Face's MiniFASNetV2 rebuilt as an ONNX graph (opset 17, NCHW, BGR 0..255 input) with every BatchNorm folded into the conv or Linear before it",
    sources: [SOURCE_FILES.silentFaceV2],
    build: (sources) => convertSilentFaceToOnnx(only(sources, 1)[0] as Uint8Array, "MiniFASNetV2"),
  },
  {
    id: "silentface-minifasnet-v1se",
    method:
      "legacy PyTorch state_dict read in pure JS, Silent-Face's MiniFASNetV1SE rebuilt as an ONNX graph (opset 17, NCHW, BGR 0..255 input) with every BatchNorm folded into the conv or Linear before it",
    sources: [SOURCE_FILES.silentFaceV1se],
    build: (sources) =>
      convertSilentFaceToOnnx(only(sources, 1)[0] as Uint8Array, "MiniFASNetV1SE"),
  },
];
