import { execFile } from "node:child_process";
import { mkdir, rename, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";

/** Options of {@link prepareFakeCamera}. */
export interface FakeCameraOptions {
  /** Length of the clip; Chromium loops it. Default 6. */
  readonly seconds?: number;
  /** Frame rate of the clip. Default 15. */
  readonly fps?: number;
  /** Frame width; the height keeps the aspect ratio (rounded to even). Default 640. */
  readonly width?: number;
}

const run = promisify(execFile);

/**
 * Converts a video (e.g. a genuine mp4 from `../shared/media/genuine/`) into the raw y4m file
 * Chromium's fake camera plays, cached under the OS temp dir so later runs skip ffmpeg. The
 * cache key holds the source name, size, modification time and the options.
 *
 * @example
 * ```ts
 * const y4m = await prepareFakeCamera("/work/shared/media/genuine/liveportrait-d3.mp4");
 * const browser = await launchChromium({ args: fakeCameraArgs(y4m) });
 * ```
 */
export async function prepareFakeCamera(
  videoPath: string,
  options: FakeCameraOptions = {},
): Promise<string> {
  const { seconds = 6, fps = 15, width = 640 } = options;
  const source = await stat(videoPath);
  const cacheDir = join(tmpdir(), "lumen-fake-camera");
  await mkdir(cacheDir, { recursive: true });
  const key = `${basename(videoPath)}-${source.size}-${Math.trunc(source.mtimeMs)}-${seconds}s-${fps}fps-${width}w`;
  const target = join(cacheDir, `${key}.y4m`);
  try {
    await stat(target);
    return target;
  } catch {
    // Not cached yet: convert below.
  }
  // Written under a temporary name and renamed, so an interrupted run leaves no half file.
  const partial = `${target}.${process.pid}.partial.y4m`;
  await run("ffmpeg", [
    "-loglevel",
    "error",
    "-y",
    "-i",
    videoPath,
    "-t",
    String(seconds),
    "-vf",
    `fps=${fps},scale=${width}:-2`,
    "-pix_fmt",
    "yuv420p",
    partial,
  ]);
  await rename(partial, target);
  return target;
}

/**
 * The Chromium flags that answer `getUserMedia` with the given y4m file and no permission
 * prompt.
 *
 * @example
 * ```ts
 * await launchChromium({ args: fakeCameraArgs(await prepareFakeCamera(mp4)) });
 * ```
 */
export function fakeCameraArgs(y4mPath: string): string[] {
  return [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-video-capture=${y4mPath}`,
  ];
}
