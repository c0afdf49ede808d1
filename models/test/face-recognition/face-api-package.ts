import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { TfjsWeightsFiles } from "../../src/tfjs/read-tfjs-weights.ts";

const modelDir = join(
  dirname(createRequire(import.meta.url).resolve("@vladmandic/face-api/package.json")),
  "model",
);

/** The name the weights manifest gives its one weights file. */
export const FACE_RECOGNITION_SHARD = "face_recognition_model.bin";

/** The face recognition model's TF.js files, read from the installed `@vladmandic/face-api`. */
export function faceRecognitionFiles(): TfjsWeightsFiles {
  return {
    manifest: new Uint8Array(
      readFileSync(join(modelDir, "face_recognition_model-weights_manifest.json")),
    ),
    shards: {
      [FACE_RECOGNITION_SHARD]: new Uint8Array(
        readFileSync(join(modelDir, FACE_RECOGNITION_SHARD)),
      ),
    },
  };
}
