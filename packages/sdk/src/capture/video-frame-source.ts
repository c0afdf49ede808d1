/** Video frames of a stream, each announced with its capture time. */
export interface VideoFrameSource {
  /** The (unattached) video element playing the stream; draw or `createImageBitmap` from it. */
  readonly video: HTMLVideoElement;
  /** Calls `onFrame` once per new video frame with its capture time (epoch ms). */
  start(onFrame: (capturedAt: number) => void): void;
  stop(): void;
}

const POLL_MS = 1000 / 60;

/**
 * Plays a stream in an unattached `<video>` and reports each new frame, with
 * `requestVideoFrameCallback`'s capture time where the browser gives one (the camera's own
 * timestamp), else the time the frame was noticed. Browsers without the callback are polled on
 * `currentTime` changes.
 *
 * @example
 * ```ts
 * const frames = await createVideoFrameSource(stream, () => Date.now());
 * frames.start((capturedAt) => void analyse(frames.video, capturedAt));
 * ```
 */
export async function createVideoFrameSource(
  stream: MediaStream,
  clock: () => number,
): Promise<VideoFrameSource> {
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play();
  // Epoch ms of a performance.now() reading, through the injected clock.
  const toEpoch = (perfMs: number): number => clock() - (performance.now() - perfMs);
  let stopped = true;
  let handle: number | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    video,
    start(onFrame) {
      stopped = false;
      // Not in every browser, whatever the DOM types say.
      const optional = video as Partial<Pick<HTMLVideoElement, "requestVideoFrameCallback">>;
      if (typeof optional.requestVideoFrameCallback === "function") {
        const next: VideoFrameRequestCallback = (now, metadata) => {
          if (stopped) return;
          handle = video.requestVideoFrameCallback(next);
          onFrame(toEpoch(metadata.captureTime ?? now));
        };
        handle = video.requestVideoFrameCallback(next);
      } else {
        let last = -1;
        timer = setInterval(() => {
          if (video.currentTime === last) return;
          last = video.currentTime;
          onFrame(clock());
        }, POLL_MS);
      }
    },
    stop() {
      stopped = true;
      if (handle !== null) video.cancelVideoFrameCallback(handle);
      if (timer !== null) clearInterval(timer);
      video.pause();
      video.srcObject = null;
    },
  };
}
