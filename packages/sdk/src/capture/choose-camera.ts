import { isVirtualCameraLabel } from "./virtual-camera-label.ts";

/** One video input as {@link listCameras} reports it. */
export interface CameraInfo {
  readonly deviceId: string;
  /** Empty until the page has been granted camera access once (browser privacy rule). */
  readonly label: string;
  /** An infrared face-unlock camera (Windows Hello…): never picked by default. */
  readonly infrared: boolean;
  /** The label names a virtual camera (OBS, ManyCam…): picked by default only as a last resort. */
  readonly virtual: boolean;
  /** The label says front / user-facing / built-in. */
  readonly front: boolean;
}

/** The `localStorage` key under which the user's camera choice is remembered by default. */
export const CAMERA_CHOICE_STORAGE_KEY = "lumen.cameraDeviceId";

// Infrared sensors of face-unlock systems show a dark grey image a face check cannot use.
const INFRARED_PATTERNS: readonly RegExp[] = [/\bir\b/i, /infra-?red/i, /windows hello/i];
const FRONT_PATTERNS: readonly RegExp[] = [
  /front/i,
  /\buser\b/i,
  /facetime/i,
  /integrated/i,
  /built-?in/i,
];

/**
 * Whether a camera label names an infrared face-unlock sensor ("IR Camera", "Integrated
 * Infrared Camera", "Windows Hello Face…").
 *
 * @example
 * ```ts
 * isInfraredCameraLabel("Integrated IR Camera"); // true
 * isInfraredCameraLabel("Integrated Camera"); // false
 * ```
 */
export function isInfraredCameraLabel(label: string): boolean {
  return INFRARED_PATTERNS.some((pattern) => pattern.test(label));
}

/**
 * Describes a video input from its id and label.
 *
 * @example
 * ```ts
 * describeCamera("abc", "FaceTime HD Camera"); // { front: true, infrared: false, virtual: false, … }
 * ```
 */
export function describeCamera(deviceId: string, label: string): CameraInfo {
  return {
    deviceId,
    label,
    infrared: isInfraredCameraLabel(label),
    virtual: isVirtualCameraLabel(label),
    front: FRONT_PATTERNS.some((pattern) => pattern.test(label)),
  };
}

/** What {@link chooseCamera} goes by. */
export interface CameraPreference {
  /** The integrator's or user's explicit pick: used whenever it is listed, infrared or not. */
  readonly deviceId?: string | null;
  /** The remembered pick of an earlier session: used when listed and not infrared. */
  readonly remembered?: string | null;
  /** Devices not to pick (e.g. the infrared one just opened). */
  readonly exclude?: readonly string[];
}

/**
 * Picks the camera to open, or `null` to let the browser choose (`facingMode: "user"`): the
 * explicit pick, else the remembered one, else the first front camera, else the first camera,
 * never an infrared one by default and a virtual one only when nothing else is left. Pure.
 *
 * @example
 * ```ts
 * chooseCamera([describeCamera("a", "Integrated IR Camera"), describeCamera("b", "Integrated Camera")]);
 * // the "b" camera
 * ```
 */
export function chooseCamera(
  cameras: readonly CameraInfo[],
  preference: CameraPreference = {},
): CameraInfo | null {
  const excluded = new Set(preference.exclude ?? []);
  const candidates = cameras.filter((camera) => !excluded.has(camera.deviceId));
  const byId = (id: string | null | undefined): CameraInfo | undefined =>
    id ? candidates.find((camera) => camera.deviceId === id) : undefined;
  const explicit = byId(preference.deviceId);
  if (explicit) return explicit;
  const remembered = byId(preference.remembered);
  if (remembered && !remembered.infrared) return remembered;
  const usable = candidates.filter((camera) => !camera.infrared && camera.deviceId !== "");
  const real = usable.filter((camera) => !camera.virtual);
  // Without labels (no permission yet) nothing is known: let the browser pick the front camera.
  if (usable.every((camera) => camera.label === "")) return null;
  return real.find((camera) => camera.front) ?? real[0] ?? usable[0] ?? null;
}

/**
 * The video inputs of this device, described. Labels are empty until camera access was granted
 * once; call it again after a session to show a named list.
 *
 * @example
 * ```ts
 * const cameras = await listCameras();
 * picker.replaceChildren(...cameras.map((c) => new Option(c.label, c.deviceId)));
 * createLivenessSession({ ...options, deviceId: picker.value });
 * ```
 */
export async function listCameras(
  devices: Partial<Pick<MediaDevices, "enumerateDevices">> | undefined = (
    globalThis.navigator as Navigator | undefined
  )?.mediaDevices,
): Promise<CameraInfo[]> {
  if (typeof devices?.enumerateDevices !== "function") return [];
  const all = await devices.enumerateDevices();
  return all
    .filter((device) => device.kind === "videoinput")
    .map((device) => describeCamera(device.deviceId, device.label));
}

/** Where the camera choice is remembered; a `Storage` subset so tests pass a map. */
export type CameraChoiceStorage = Pick<Storage, "getItem" | "setItem">;

/**
 * Reads a remembered camera id; `null` when disabled, absent or storage is blocked.
 *
 * @example
 * ```ts
 * readCameraChoice(localStorage, CAMERA_CHOICE_STORAGE_KEY); // "abc…" or null
 * ```
 */
export function readCameraChoice(
  storage: CameraChoiceStorage | null,
  key: string | null,
): string | null {
  if (!storage || key === null) return null;
  try {
    return storage.getItem(key);
  } catch {
    return null; // storage blocked (private mode, sandboxed frame)
  }
}

/**
 * Remembers a camera id; does nothing when disabled or storage is blocked.
 *
 * @example
 * ```ts
 * writeCameraChoice(localStorage, CAMERA_CHOICE_STORAGE_KEY, deviceId);
 * ```
 */
export function writeCameraChoice(
  storage: CameraChoiceStorage | null,
  key: string | null,
  deviceId: string,
): void {
  if (!storage || key === null || deviceId === "") return;
  try {
    storage.setItem(key, deviceId);
  } catch {
    // storage blocked or full: the choice is simply not remembered
  }
}
