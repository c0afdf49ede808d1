import { LumenError } from "@lumen/protocol";

interface PackageFile {
  readonly filename: string;
  readonly start: number;
  readonly end: number;
}

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Packed face mesh assets: ${message}`);
}

// The loader is generated Emscripten code: `var loadPackage = function(metadata) {…}` and later
// one call `loadPackage({"files": […], …})` whose argument is plain JSON. The argument is cut out
// by matching braces outside JSON strings, so no range is ever hard-coded here.
function packageJson(loaderJs: string): string {
  const call = /loadPackage\(\s*\{/.exec(loaderJs);
  if (!call) throw invalid("the loader text has no loadPackage({...}) call");
  const start = call.index + call[0].length - 1;
  let depth = 0;
  let inString = false;
  for (let i = start; i < loaderJs.length; i++) {
    const char = loaderJs[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return loaderJs.slice(start, i + 1);
  }
  throw invalid("the loadPackage({...}) argument is not closed");
}

function packageFiles(loaderJs: string): PackageFile[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(packageJson(loaderJs));
  } catch (cause) {
    if (cause instanceof LumenError) throw cause;
    throw invalid(`the loadPackage argument is not JSON: ${(cause as Error).message}`);
  }
  const files = (parsed as { files?: unknown }).files;
  if (!Array.isArray(files)) throw invalid("the loadPackage argument has no files list");
  return files.map((file: unknown) => {
    const { filename, start, end } = file as Record<string, unknown>;
    if (
      typeof filename !== "string" ||
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(end) ||
      (start as number) < 0 ||
      (end as number) < (start as number)
    ) {
      throw invalid(`malformed file entry ${JSON.stringify(file)}`);
    }
    return { filename, start: start as number, end: end as number };
  });
}

/**
 * Cuts the files out of an Emscripten packed-assets blob (`*_packed_assets.data`) using the
 * byte ranges of the `loadPackage({...})` call in its loader script. Keys are the filenames as
 * the loader names them (full virtual paths); values are views into `data`, not copies.
 * Throws `MODEL_SOURCE_INVALID` when the loader has no package list or a range lies outside
 * `data` (a truncated download).
 *
 * @example
 * ```ts
 * const assets = extractPackedAssets(dataBytes, loaderText);
 * assets.get("/third_party/mediapipe/modules/face_detection/face_detection_short_range.tflite");
 * ```
 */
export function extractPackedAssets(data: Uint8Array, loaderJs: string): Map<string, Uint8Array> {
  const assets = new Map<string, Uint8Array>();
  for (const file of packageFiles(loaderJs)) {
    if (file.end > data.length) {
      throw invalid(
        `${file.filename} needs bytes ${file.start}..${file.end} but the data has only ${data.length} (truncated?)`,
      );
    }
    assets.set(file.filename, data.subarray(file.start, file.end));
  }
  return assets;
}
