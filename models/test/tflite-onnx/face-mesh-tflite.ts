import { readFile } from "node:fs/promises";
import { extractPackedAssets } from "../../src/face-landmarker/extract-packed-assets.ts";

const FACE_MESH_DIR = new URL("../../node_modules/@mediapipe/face_mesh/", import.meta.url);

/** A network file out of `@mediapipe/face_mesh`'s Emscripten package, by base name. */
export async function readFaceMeshTflite(name: string): Promise<Uint8Array> {
  const assets = extractPackedAssets(
    new Uint8Array(await readFile(new URL("face_mesh_solution_packed_assets.data", FACE_MESH_DIR))),
    await readFile(new URL("face_mesh_solution_packed_assets_loader.js", FACE_MESH_DIR), "utf8"),
  );
  const entry = [...assets].find(([filename]) => filename.endsWith(`/${name}`));
  if (!entry) throw new Error(`${name} is not in the face_mesh package`);
  return entry[1];
}
