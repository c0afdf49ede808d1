import { cameraError } from "./camera-error.ts";

/**
 * The constraints Lumen asks for: the front camera, at least 640x480 and 15 fps, ideally 720p at
 * 30 fps (analysis and evidence scale down themselves).
 */
export const CAMERA_CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: {
    facingMode: "user",
    width: { min: 640, ideal: 1280 },
    height: { min: 480, ideal: 720 },
    frameRate: { min: 15, ideal: 30 },
  },
};

/**
 * Opens the front camera.
 *
 * @throws {LumenError} `CAMERA_DENIED`, `CAMERA_NOT_FOUND`, `CAMERA_IN_USE` or
 * `UNSUPPORTED_BROWSER`, mapped from the browser's `DOMException`.
 * @example
 * ```ts
 * const stream = await openCamera(navigator.mediaDevices);
 * ```
 */
export async function openCamera(
  devices: Pick<MediaDevices, "getUserMedia">,
  constraints: MediaStreamConstraints = CAMERA_CONSTRAINTS,
): Promise<MediaStream> {
  try {
    return await devices.getUserMedia(constraints);
  } catch (error) {
    throw cameraError(error);
  }
}
