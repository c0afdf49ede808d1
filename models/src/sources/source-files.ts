import type { SourceFile } from "./source-file.ts";

const FACE_MESH = { name: "@mediapipe/face_mesh", version: "0.4.1657299874" } as const;
const FACE_MESH_CDN = `https://cdn.jsdelivr.net/npm/${FACE_MESH.name}@${FACE_MESH.version}`;

function faceMeshFile(id: string, path: string, sha256: string): SourceFile {
  return {
    id,
    sha256,
    licence: "Apache-2.0",
    origin: `npm ${FACE_MESH.name}@${FACE_MESH.version}, ${path}`,
    url: `${FACE_MESH_CDN}/${path}`,
    npm: { ...FACE_MESH, path },
  };
}

const FACE_API = { name: "@vladmandic/face-api", version: "1.7.15" } as const;

// dlib's weights are Davis King's, released into the public domain (dlib-models README); the
// TF.js files that carry them are part of face-api (MIT).
const FACE_API_MODEL_LICENCE = "LicenseRef-dlib-models-public-domain AND MIT";

function faceApiFile(id: string, path: string, sha256: string): SourceFile {
  return {
    id,
    sha256,
    licence: FACE_API_MODEL_LICENCE,
    origin: `npm ${FACE_API.name}@${FACE_API.version}, ${path}`,
    url: `https://cdn.jsdelivr.net/npm/${FACE_API.name}@${FACE_API.version}/${path}`,
    npm: { ...FACE_API, path },
  };
}

function githubFile(
  id: string,
  repository: string,
  commit: string,
  path: string,
  mirrorPath: string,
  sha256: string,
  licence = "Apache-2.0",
): SourceFile {
  return {
    id,
    sha256,
    licence,
    origin: `${repository}@${commit}, ${path}`,
    url: `https://github.com/${repository}/raw/${commit}/${path}`,
    mirrorPath,
  };
}

/**
 * Every upstream file `pnpm models` reads, with its pinned SHA-256. Nothing else is read.
 *
 * @example
 * ```ts
 * SOURCE_FILES.minifasnetFp32.mirrorPath; // "minifasnet/minifasnet-v2-se.onnx"
 * ```
 */
export const SOURCE_FILES = {
  faceMeshAssets: faceMeshFile(
    "face-mesh-packed-assets",
    "face_mesh_solution_packed_assets.data",
    "dbe5905c582c0462cdaea17e7e6ecea92edaa8cccc515c5e2e7291f2cbb5fb99",
  ),
  faceMeshAssetsLoader: faceMeshFile(
    "face-mesh-packed-assets-loader",
    "face_mesh_solution_packed_assets_loader.js",
    "95147c15fdf12ba8b9ffc3c3964dbdfa1ffa4251182749babca19e75962bf128",
  ),
  minifasnetFp32: githubFile(
    "minifasnet-v2-se.onnx",
    "johnraivenolazo/suri-liveness",
    "2b9830b",
    "models/best/98.20/best_model.onnx",
    "minifasnet/minifasnet-v2-se.onnx",
    "af2381b88f38769222ed93379e12444e2a50814575de1c46170de570c55a42b6",
  ),
  minifasnetInt8: githubFile(
    "minifasnet-v2-se.int8.onnx",
    "johnraivenolazo/suri-liveness",
    "2b9830b",
    "models/best/98.20/best_model_quantized.onnx",
    "minifasnet/minifasnet-v2-se.int8.onnx",
    "fde20585635cae62ed1d41796f76b6f8bc4b92cd91ec1cf0f1bc6485d2d587a9",
  ),
  mesonetDf: githubFile(
    "Meso4_DF.h5",
    "DariusAf/MesoNet",
    "2144d56",
    "weights/Meso4_DF.h5",
    "mesonet/Meso4_DF.h5",
    "036ed30d04ffd9c7506f825b97c86aa64915f5818931da96817b169aad790af5",
  ),
  mesonetF2f: githubFile(
    "Meso4_F2F.h5",
    "DariusAf/MesoNet",
    "2144d56",
    "weights/Meso4_F2F.h5",
    "mesonet/Meso4_F2F.h5",
    "bcfda015d217b9f8d6557693edbdf9f4e79cfd22672541968dd0e2954462b5d7",
  ),
  faceRecognitionManifest: faceApiFile(
    "face_recognition_model-weights_manifest.json",
    "model/face_recognition_model-weights_manifest.json",
    "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b",
  ),
  faceRecognitionWeights: faceApiFile(
    "face_recognition_model.bin",
    "model/face_recognition_model.bin",
    "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589",
  ),
  silentFaceV2: githubFile(
    "2.7_80x80_MiniFASNetV2.pth",
    "minivision-ai/Silent-Face-Anti-Spoofing",
    "b6d5f04",
    "resources/anti_spoof_models/2.7_80x80_MiniFASNetV2.pth",
    "silentface/2.7_80x80_MiniFASNetV2.pth",
    "a5eb02e1843f19b5386b953cc4c9f011c3f985d0ee2bb9819eea9a142099bec0",
  ),
  silentFaceV1se: githubFile(
    "4_0_0_80x80_MiniFASNetV1SE.pth",
    "minivision-ai/Silent-Face-Anti-Spoofing",
    "b6d5f04",
    "resources/anti_spoof_models/4_0_0_80x80_MiniFASNetV1SE.pth",
    "silentface/4_0_0_80x80_MiniFASNetV1SE.pth",
    "84ee1d37d96894d5e82de5a57df044ef80a58be2b218b5ed7cdfd875ec2f5990",
  ),
  mesoInceptionDf: githubFile(
    "MesoInception_DF.h5",
    "DariusAf/MesoNet",
    "2144d56",
    "weights/MesoInception_DF.h5",
    "mesonet/MesoInception_DF.h5",
    "234586d40058e76ef8b6f27ca4b63c06e31c2a5a69c0d8ba6f30b1468ab7bafa",
  ),
  mesoInceptionF2f: githubFile(
    "MesoInception_F2F.h5",
    "DariusAf/MesoNet",
    "2144d56",
    "weights/MesoInception_F2F.h5",
    "mesonet/MesoInception_F2F.h5",
    "d4533ac8a3197dc35c47405d23d99e888c1d0135e267e03540c7451feaccff3f",
  ),
  hyperfas: githubFile(
    "hyperfas-fas.h5",
    "zeusees/HyperFAS",
    "da55c02",
    "model/fas.h5",
    "hyperfas/fas.h5",
    "db3014e5c16ad4535ea106f3f7572fb250d6753b28970140c3feec4ef8b8b6bd",
    "BSD-3-Clause",
  ),
} as const satisfies Record<string, SourceFile>;
