import { cameraError } from "./camera-error.ts";
import {
  chooseCamera,
  describeCamera,
  listCameras,
  readCameraChoice,
  writeCameraChoice,
  type CameraChoiceStorage,
} from "./choose-camera.ts";

const SIZE_AND_RATE: MediaTrackConstraints = {
  width: { min: 640, ideal: 1280 },
  height: { min: 480, ideal: 720 },
  frameRate: { min: 15, ideal: 30 },
};

/**
 * The constraints Lumen asks for: the front camera, at least 640x480 and 15 fps, ideally 720p at
 * 30 fps (analysis and evidence scale down themselves).
 */
export const CAMERA_CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: "user", ...SIZE_AND_RATE },
};

/** How {@link openCamera} picks a device. */
export interface OpenCameraOptions {
  /** An explicit pick (from {@link listCameras}); opened as `exact`, failing if it is gone. */
  readonly deviceId?: string | null;
  /** Where the explicit pick is remembered and read back; `null` disables remembering. */
  readonly storage?: CameraChoiceStorage | null;
  /** The storage key; `null` disables remembering. */
  readonly storageKey?: string | null;
}

function constraintsFor(deviceId: string | null): MediaStreamConstraints {
  if (deviceId === null) return CAMERA_CONSTRAINTS;
  // A chosen device replaces the facing mode (a rear camera picked on purpose stays picked).
  return { audio: false, video: { ...SIZE_AND_RATE, deviceId: { exact: deviceId } } };
}

function stop(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/**
 * Opens the camera: the explicit `deviceId`, else the remembered pick, else the first front,
 * non-infrared camera (the browser's `facingMode: "user"` choice while labels are unknown). An
 * infrared face-unlock camera the browser opened by default is swapped for another camera when
 * there is one. An explicit pick is remembered under `storageKey`.
 *
 * @throws {LumenError} `CAMERA_DENIED`, `CAMERA_NOT_FOUND`, `CAMERA_IN_USE` or
 * `UNSUPPORTED_BROWSER`, mapped from the browser's `DOMException`.
 * @example
 * ```ts
 * const stream = await openCamera(navigator.mediaDevices, { deviceId, storage: localStorage });
 * ```
 */
export async function openCamera(
  devices: Pick<MediaDevices, "getUserMedia"> & Partial<Pick<MediaDevices, "enumerateDevices">>,
  options: OpenCameraOptions = {},
): Promise<MediaStream> {
  const storage = options.storage ?? null;
  const key = options.storageKey ?? null;
  const explicit = options.deviceId ?? null;
  const cameras = async () => {
    try {
      return await listCameras(devices);
    } catch {
      return [];
    }
  };
  try {
    const remembered = explicit === null ? readCameraChoice(storage, key) : null;
    // Device ids stay hidden until permission is granted, so a remembered id is tried as is.
    const first = explicit ?? remembered;
    let stream: MediaStream;
    try {
      stream = await devices.getUserMedia(constraintsFor(first));
    } catch (error) {
      // A remembered camera that was unplugged: fall back to the default choice.
      if (explicit !== null || first === null) throw error;
      stream = await devices.getUserMedia(CAMERA_CONSTRAINTS);
    }
    if (explicit !== null) {
      writeCameraChoice(storage, key, explicit);
      return stream;
    }
    // Labels are known now: swap an infrared face-unlock sensor for a real camera if any.
    const track = stream.getVideoTracks()[0];
    const opened = describeCamera(track?.getSettings().deviceId ?? "", track?.label ?? "");
    if (!opened.infrared) return stream;
    const other = chooseCamera(await cameras(), { exclude: [opened.deviceId] });
    if (other === null || other.infrared) return stream;
    stop(stream);
    return await devices.getUserMedia(constraintsFor(other.deviceId));
  } catch (error) {
    throw cameraError(error);
  }
}
