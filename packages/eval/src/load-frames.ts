import { readFile } from "node:fs/promises";
import type { RgbaImage } from "@lumen/core";
import { decodeJpeg } from "@lumen/server";
import type { DatasetItem } from "./collect-items.ts";
import { EVAL_LIMITS } from "./eval-limits.ts";
import { ffmpegFrames, fitFrame } from "./ffmpeg-frames.ts";

/** Decoded frames of one item and the time between them. */
export interface LoadedFrames {
  readonly frames: RgbaImage[];
  /** Video time between consecutive frames (1000 / fps); 0 for a still. */
  readonly intervalMs: number;
}

/**
 * Decodes one item into upright RGBA frames no bigger than `EVAL_LIMITS.maxFramePixels`:
 * JPEGs through the server's `decodeJpeg` (EXIF orientation applied), downscaled by ffmpeg
 * only when larger than the server accepts; PNGs and videos through ffmpeg, videos sampled at
 * `EVAL_LIMITS.sampleFps` from the start, at most `EVAL_LIMITS.maxVideoFrames` frames.
 *
 * @throws {Error} with a human-readable message for empty, oversized, corrupt or undecodable
 * files; the caller reports it and skips the item.
 * @example
 * ```ts
 * const { frames } = await loadFrames(item);
 * ```
 */
export async function loadFrames(
  item: Pick<DatasetItem, "absolutePath" | "media" | "container" | "bytes">,
): Promise<LoadedFrames> {
  const maxBytes = item.media === "video" ? EVAL_LIMITS.maxVideoBytes : EVAL_LIMITS.maxImageBytes;
  if (item.bytes === 0) throw new Error("empty file");
  if (item.bytes > maxBytes) {
    throw new Error(`file too large (${item.bytes} bytes, limit ${maxBytes})`);
  }
  switch (item.media) {
    case "jpeg": {
      const bytes = new Uint8Array(await readFile(item.absolutePath));
      const image = await decodeJpeg(bytes, { maxPixels: EVAL_LIMITS.maxInputPixels });
      return { frames: [await fitFrame(image)], intervalMs: 0 };
    }
    case "png":
      return {
        frames: await ffmpegFrames(item.absolutePath, "png_pipe", { maxFrames: 1 }),
        intervalMs: 0,
      };
    case "video":
      return {
        frames: await ffmpegFrames(item.absolutePath, item.container ?? "mov", {
          maxFrames: EVAL_LIMITS.maxVideoFrames,
          fps: EVAL_LIMITS.sampleFps,
        }),
        intervalMs: 1000 / EVAL_LIMITS.sampleFps,
      };
  }
}
