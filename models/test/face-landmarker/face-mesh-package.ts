import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FaceLandmarkerParts } from "../../src/face-landmarker/build-face-landmarker-task.ts";
import { extractPackedAssets } from "../../src/face-landmarker/extract-packed-assets.ts";

const packageDir = dirname(
  createRequire(import.meta.url).resolve("@mediapipe/face_mesh/package.json"),
);

/** The packed-assets blob and loader text of the installed `@mediapipe/face_mesh`. */
export function faceMeshPackage(): { data: Uint8Array; loaderJs: string } {
  return {
    data: new Uint8Array(readFileSync(join(packageDir, "face_mesh_solution_packed_assets.data"))),
    loaderJs: readFileSync(join(packageDir, "face_mesh_solution_packed_assets_loader.js"), "utf8"),
  };
}

/** The three files `buildFaceLandmarkerTask` takes, cut from the installed package. */
export function faceLandmarkerParts(): FaceLandmarkerParts {
  const { data, loaderJs } = faceMeshPackage();
  const assets = extractPackedAssets(data, loaderJs);
  const member = (name: string): Uint8Array => {
    for (const [path, bytes] of assets) if (path.endsWith(`/${name}`)) return bytes;
    throw new Error(`no ${name} in @mediapipe/face_mesh`);
  };
  return {
    detector: member("face_detection_short_range.tflite"),
    landmarksWithAttention: member("face_landmark_with_attention.tflite"),
    geometryMetadata: member("geometry_pipeline_metadata_landmarks.binarypb"),
  };
}
