// Turns a file the lab's user picked (a photo or a video) into the frames an attack plays to the
// SDK. Everything stays in the page: nothing is uploaded except what the SDK itself sends.

/** One decoded frame of the attack's media. */
export interface MediaFrame {
  readonly bitmap: ImageBitmap;
  /** Time of the frame in the media (0 for a photo). */
  readonly timestampMs: number;
}

/** Bounds of what the lab decodes. */
export const MEDIA_LIMITS = {
  /** Largest file accepted. */
  maxBytes: 64 * 1024 * 1024,
  /** Frames are scaled down to this width at most. */
  maxWidth: 640,
  /** Rate at which a video is sampled. */
  videoFramesPerSecond: 10,
  /** Longest stretch of a video that is sampled. */
  maxVideoSeconds: 8,
} as const;

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
const VIDEO_TYPES = new Set(["video/mp4", "video/webm", "video/quicktime"]);

/** A file the lab cannot use, with a message for the page. */
export class MediaError extends Error {
  override readonly name = "MediaError";
}

/** A frame size in pixels. */
export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

function scaledSize(width: number, height: number, fixed: FrameSize | undefined): FrameSize {
  if (fixed) return fixed;
  const scale = Math.min(1, MEDIA_LIMITS.maxWidth / width);
  // Even sizes: a camera never delivers odd ones.
  return {
    width: 2 * Math.round((width * scale) / 2),
    height: 2 * Math.round((height * scale) / 2),
  };
}

async function loadImage(file: Blob, fixed: FrameSize | undefined): Promise<MediaFrame[]> {
  let source: ImageBitmap;
  try {
    source = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (cause) {
    throw new MediaError("The photo could not be decoded", { cause });
  }
  const size = scaledSize(source.width, source.height, fixed);
  const bitmap = await createImageBitmap(source, {
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: "high",
  });
  source.close();
  return [{ bitmap, timestampMs: 0 }];
}

function once(target: EventTarget, type: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new MediaError(`The video did not answer (${type})`));
    }, timeoutMs);
    const onEvent = (): void => {
      cleanup();
      resolve();
    };
    const onError = (): void => {
      cleanup();
      reject(new MediaError("The video could not be decoded"));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      target.removeEventListener(type, onEvent);
      target.removeEventListener("error", onError);
    };
    target.addEventListener(type, onEvent);
    target.addEventListener("error", onError);
  });
}

async function loadVideo(file: Blob, fixed: FrameSize | undefined): Promise<MediaFrame[]> {
  const url = URL.createObjectURL(file);
  const video = document.createElement("video");
  video.muted = true;
  video.preload = "auto";
  video.src = url;
  try {
    await once(video, "loadeddata", 10_000);
    if (!(video.videoWidth > 0 && video.videoHeight > 0)) {
      throw new MediaError("The video has no picture");
    }
    const duration = Math.min(video.duration, MEDIA_LIMITS.maxVideoSeconds);
    if (!(duration > 0)) throw new MediaError("The video is empty");
    const size = scaledSize(video.videoWidth, video.videoHeight, fixed);
    const step = 1 / MEDIA_LIMITS.videoFramesPerSecond;
    const frames: MediaFrame[] = [];
    for (let t = 0; t < duration; t += step) {
      video.currentTime = t;
      await once(video, "seeked", 5_000);
      const bitmap = await createImageBitmap(video, {
        resizeWidth: size.width,
        resizeHeight: size.height,
        resizeQuality: "high",
      });
      frames.push({ bitmap, timestampMs: Math.round(t * 1000) });
    }
    return frames;
  } finally {
    video.removeAttribute("src");
    video.load();
    URL.revokeObjectURL(url);
  }
}

/**
 * Decodes a photo (JPEG, PNG, WebP) into one frame, or samples a video (MP4, WebM, MOV) at
 * {@link MEDIA_LIMITS}`.videoFramesPerSecond` for up to `maxVideoSeconds`, scaled to at most
 * `maxWidth` pixels wide, or to `size` when given (a second clip takes the first one's size).
 *
 * @throws {MediaError} When the file is too large, of another type, or does not decode.
 * @example
 * ```ts
 * const frames = await loadMedia(input.files[0]);
 * ```
 */
export async function loadMedia(file: File, size?: FrameSize): Promise<MediaFrame[]> {
  if (file.size === 0) throw new MediaError(`${file.name} is empty`);
  if (file.size > MEDIA_LIMITS.maxBytes) {
    throw new MediaError(`${file.name} is larger than ${MEDIA_LIMITS.maxBytes / 1024 / 1024} MB`);
  }
  if (IMAGE_TYPES.has(file.type)) return loadImage(file, size);
  if (VIDEO_TYPES.has(file.type)) return loadVideo(file, size);
  throw new MediaError(`${file.name}: use a photo (JPEG, PNG, WebP) or a video (MP4, WebM, MOV)`);
}
