import { spawn } from "node:child_process";
import type { RgbaImage } from "@lumen/core";
import { EVAL_LIMITS } from "./eval-limits.ts";
import { parsePamStream } from "./pam.ts";

/** The container ffmpeg is told to expect, so it never guesses (no playlists, no URLs). */
export type FfmpegInputFormat = "png_pipe" | "mov" | "matroska";

/** What {@link ffmpegFrames} decodes. */
export interface FfmpegFramesOptions {
  /** Frames wanted at most (1 for an image). */
  readonly maxFrames: number;
  /** Sample a video at this rate; omitted for images. */
  readonly fps?: number;
  /** The timeout; `EVAL_LIMITS.ffmpegTimeoutMs` by default. */
  readonly timeoutMs?: number;
}

// Downscale (never upscale) to at most maxFramePixels, keeping the aspect ratio.
const FIT = `sqrt(${EVAL_LIMITS.maxFramePixels}/(iw*ih))`;
const SCALE = `scale=w=max(1\\,trunc(iw*min(1\\,${FIT}))):h=max(1\\,trunc(ih*min(1\\,${FIT}))):flags=area`;
const STDERR_KEEP = 2048;

function run(args: readonly string[], stdin: Uint8Array | null, maxOut: number, timeoutMs: number) {
  return new Promise<Uint8Array>((resolve, reject) => {
    const child = spawn("ffmpeg", args, { stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    let failure: string | null = null;
    const stop = (reason: string): void => {
      failure ??= reason;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => {
      stop(`ffmpeg ran longer than ${timeoutMs} ms`);
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOut) stop("ffmpeg produced more pixels than allowed");
      else chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_KEEP);
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new Error(
          err.code === "ENOENT" ? "ffmpeg is not installed (apt-get install ffmpeg)" : err.message,
        ),
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (failure) reject(new Error(failure));
      else if (code !== 0) {
        // The first line names the cause; later ones are consequences. Drop "[png @ 0x…]" tags.
        const first = (stderr.trim().split("\n")[0] ?? "").replace(
          /\[[^\]]* @ 0x[0-9a-f]+\]\s*/g,
          "",
        );
        reject(new Error(`ffmpeg could not decode it (${first.slice(0, 200) || `exit ${code}`})`));
      } else resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    // A decoder that exits early closes its stdin; the write error is reported through "close".
    child.stdin.on("error", () => undefined);
    child.stdin.end(stdin ?? undefined);
  });
}

const OUTPUT = ["-an", "-sn", "-dn", "-f", "image2pipe", "-c:v", "pam", "-pix_fmt", "rgba", "-"];

function maxOutput(frames: number): number {
  return frames * (EVAL_LIMITS.maxFramePixels * 4 + 256);
}

/**
 * Decodes an image or samples a video with ffmpeg into upright RGBA frames no bigger than
 * `EVAL_LIMITS.maxFramePixels`. Only local files are read (`-protocol_whitelist file`), the
 * demuxer is fixed by `format`, and the decoder refuses frames above
 * `EVAL_LIMITS.maxInputPixels` before allocating them. Video rotation metadata is applied
 * (ffmpeg's autorotate).
 *
 * @throws {Error} when ffmpeg is missing, fails, overruns the timeout or yields no frame.
 * @example
 * ```ts
 * const frames = await ffmpegFrames("/data/clip.mp4", "mov", { maxFrames: 24, fps: 2 });
 * ```
 */
export async function ffmpegFrames(
  path: string,
  format: FfmpegInputFormat,
  options: FfmpegFramesOptions,
): Promise<RgbaImage[]> {
  const filter = options.fps === undefined ? SCALE : `fps=${options.fps},${SCALE}`;
  const out = await run(
    [
      ...["-nostdin", "-hide_banner", "-loglevel", "error"],
      ...["-protocol_whitelist", "file", "-max_pixels", String(EVAL_LIMITS.maxInputPixels)],
      ...["-f", format, "-i", `file:${path}`],
      ...["-vf", filter, "-frames:v", String(options.maxFrames), ...OUTPUT],
    ],
    null,
    maxOutput(options.maxFrames),
    options.timeoutMs ?? EVAL_LIMITS.ffmpegTimeoutMs,
  );
  const frames = parsePamStream(out);
  if (frames.length === 0) throw new Error("ffmpeg found no frame in it");
  return frames;
}

/**
 * Downscales an RGBA image with ffmpeg (area filter) to fit `EVAL_LIMITS.maxFramePixels`;
 * returns it unchanged when it already fits.
 *
 * @example
 * ```ts
 * const frame = await fitFrame(await decodeJpeg(bytes, { maxPixels: EVAL_LIMITS.maxInputPixels }));
 * ```
 */
export async function fitFrame(image: RgbaImage): Promise<RgbaImage> {
  if (image.width * image.height <= EVAL_LIMITS.maxFramePixels) return image;
  const out = await run(
    [
      ...["-nostdin", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "pipe"],
      ...["-f", "rawvideo", "-pix_fmt", "rgba", "-s", `${image.width}x${image.height}`],
      ...["-i", "pipe:0", "-vf", SCALE, "-frames:v", "1", ...OUTPUT],
    ],
    new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
    maxOutput(1),
    EVAL_LIMITS.ffmpegTimeoutMs,
  );
  const [frame] = parsePamStream(out);
  if (!frame) throw new Error("ffmpeg returned no downscaled frame");
  return frame;
}
