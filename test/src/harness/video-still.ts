import { execFile } from "node:child_process";
import { promisify } from "node:util";

/**
 * One frame of a video at `seconds`, through ffmpeg's `filter` if given (e.g. a crop), encoded as
 * a JPEG (quality 2) or a PNG: the portrait "cut from" a video that the reference-image tests
 * attach to a session.
 *
 * @throws {Error} when ffmpeg fails or the video has no frame there.
 * @example
 * ```ts
 * const portrait = await videoStill(join(MEDIA_DIR, "genuine/liveportrait-d3.mp4"), 1.5, "jpeg");
 * ```
 */
export async function videoStill(
  path: string,
  seconds: number,
  format: "jpeg" | "png",
  filter?: string,
): Promise<Uint8Array> {
  const codec = format === "png" ? ["-vcodec", "png"] : ["-vcodec", "mjpeg", "-q:v", "2"];
  const filters = filter === undefined ? [] : ["-vf", filter];
  const { stdout } = await promisify(execFile)(
    "ffmpeg",
    [
      ...["-loglevel", "error", "-ss", String(seconds), "-i", path],
      ...filters,
      ...["-frames:v", "1", "-f", "image2pipe", ...codec, "-"],
    ],
    { encoding: "buffer", maxBuffer: 16 * 2 ** 20 },
  );
  if (stdout.length === 0) throw new Error(`${path}: no frame at ${seconds} s`);
  return new Uint8Array(stdout);
}
