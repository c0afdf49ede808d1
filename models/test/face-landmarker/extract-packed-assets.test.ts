import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { extractPackedAssets } from "../../src/face-landmarker/extract-packed-assets.ts";
import { faceMeshPackage } from "./face-mesh-package.ts";

describe("extractPackedAssets", () => {
  it("cuts every file of the face mesh package out by the loader's byte ranges", () => {
    const { data, loaderJs } = faceMeshPackage();
    const assets = extractPackedAssets(data, loaderJs);
    const byName = new Map([...assets].map(([path, bytes]) => [path.split("/").pop(), bytes]));
    expect([...byName.keys()].sort()).toEqual([
      "face_detection_short_range.tflite",
      "face_landmark.tflite",
      "face_landmark_with_attention.tflite",
      "geometry_pipeline_metadata_landmarks.binarypb",
    ]);
    const total = [...assets.values()].reduce((sum, bytes) => sum + bytes.length, 0);
    expect(total).toBe(data.length);
    for (const name of [
      "face_detection_short_range.tflite",
      "face_landmark_with_attention.tflite",
    ]) {
      const bytes = byName.get(name);
      expect(new TextDecoder().decode(bytes?.subarray(4, 8)), name).toBe("TFL3");
    }
  });

  it("refuses truncated packed data, naming the file that does not fit", () => {
    const { data, loaderJs } = faceMeshPackage();
    expect(() => extractPackedAssets(data.subarray(0, data.length - 1), loaderJs)).toThrow(
      /face_detection_short_range\.tflite needs bytes .*truncated/,
    );
  });

  it("refuses a loader text without a loadPackage({...}) call", () => {
    const { data } = faceMeshPackage();
    const error = (() => {
      try {
        extractPackedAssets(data, "var loadPackage = function(metadata) {};");
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(LumenError);
    expect((error as LumenError).code).toBe("MODEL_SOURCE_INVALID");
    expect((error as LumenError).message).toMatch(/no loadPackage\(\{\.\.\.\}\) call/);
  });

  it("refuses a package list that is not JSON or has malformed entries", () => {
    const data = new Uint8Array(10);
    expect(() => extractPackedAssets(data, "loadPackage({files: []})")).toThrow(/not JSON/);
    expect(() => extractPackedAssets(data, 'loadPackage({"files": [{"filename": "a"}]})')).toThrow(
      /malformed file entry/,
    );
    expect(() => extractPackedAssets(data, 'loadPackage({"files": [')).toThrow(/not closed/);
  });

  it("reads braces inside JSON strings as text", () => {
    const loader = 'loadPackage({"files": [{"filename": "/a}{b", "start": 2, "end": 5}]});';
    const assets = extractPackedAssets(Uint8Array.from([0, 1, 2, 3, 4, 5]), loader);
    expect([...(assets.get("/a}{b") ?? [])]).toEqual([2, 3, 4]);
  });
});
