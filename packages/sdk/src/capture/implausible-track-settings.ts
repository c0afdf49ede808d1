import { TRACK_SETTINGS_SIGNALS, type TrackSettingsSignal } from "@lumen/protocol";

/**
 * The part of `MediaTrackSettings` {@link implausibleTrackSettings} reads. Every field is
 * `unknown`-tolerant in spirit: an injection script may report anything, so values are checked,
 * not assumed.
 */
export interface TrackSettingsInput {
  readonly width?: number;
  readonly height?: number;
  readonly frameRate?: number;
  readonly aspectRatio?: number;
  readonly resizeMode?: string;
  readonly deviceId?: string;
  readonly groupId?: string;
}

/**
 * Frame rates above this come from no webcam or phone front camera `getUserMedia` opens: they
 * top out at 60 fps, 120 fps for the rare high-speed mode. Past it, a synthetic source.
 */
export const MAX_CAMERA_FRAME_RATE = 120;

/**
 * The smallest short side of a camera mode: QQVGA (160x120) is the smallest mode drivers list.
 */
export const MIN_CAMERA_SHORT_SIDE = 120;

/**
 * The largest long side of a camera mode `getUserMedia` delivers: DCI 4K (4096x2160); a 12 MP
 * phone sensor's 4032x3024 fits too. Longer sides are screen captures or synthetic canvases.
 */
export const MAX_CAMERA_LONG_SIDE = 4096;

/**
 * Long-to-short side ratios of camera modes (orientation-free): 1:1, 5:4 (1280x1024), 4:3,
 * 11:9 (CIF 352x288), 3:2, 16:10, 16:9, 2:1 (18:9 phone sensors). The DCI 4K 256:135 (≈1.896)
 * mode is listed too.
 */
export const CAMERA_ASPECT_RATIOS: readonly number[] = [
  1,
  5 / 4,
  4 / 3,
  11 / 9,
  3 / 2,
  16 / 10,
  16 / 9,
  2,
  256 / 135,
];

/**
 * Relative tolerance on {@link CAMERA_ASPECT_RATIOS}: 2 % absorbs modes whose sides are rounded
 * to a multiple of 8 or 16 (1920x1080 is 16:9 exactly, 854x480 is 0.07 % off, 1366x768 0.1 %).
 */
export const ASPECT_RATIO_TOLERANCE = 0.02;

/**
 * How far a reported `aspectRatio` may differ (relative) from `width / height`: browsers
 * compute it from the two, so only rounding (1 %) separates them; more means the settings
 * object was forged.
 */
export const ASPECT_RATIO_MISMATCH_TOLERANCE = 0.01;

/** The `resizeMode` values the Media Capture spec defines; anything else is made up. */
export const RESIZE_MODES: readonly string[] = ["none", "crop-and-scale"];

const positiveInteger = (value: number): boolean => Number.isInteger(value) && value > 0;

const nearKnownRatio = (ratio: number): boolean =>
  CAMERA_ASPECT_RATIOS.some((known) => Math.abs(ratio / known - 1) <= ASPECT_RATIO_TOLERANCE);

/**
 * The track settings of a camera that no real camera produces, as named signals (empty when
 * none), in {@link TRACK_SETTINGS_SIGNALS} order. A heuristic reported to the server in the
 * result token, never a verdict:
 *
 * - `frame-rate-invalid`: a frame rate that is not finite or not positive.
 * - `frame-rate-too-high`: above {@link MAX_CAMERA_FRAME_RATE}.
 * - `size-invalid`: width or height not a positive integer, or only one of them reported.
 * - `size-out-of-range`: a short side under {@link MIN_CAMERA_SHORT_SIDE} or a long side over
 *   {@link MAX_CAMERA_LONG_SIDE}.
 * - `odd-size`: an odd width or height. Sensor modes and 4:2:0 chroma subsampling (every
 *   webcam's NV12/I420/MJPEG output) need even sides, and the SDK asks for no size a
 *   `crop-and-scale` resize would have to make odd.
 * - `aspect-ratio-unusual`: a long-to-short ratio off every {@link CAMERA_ASPECT_RATIOS} entry
 *   by more than {@link ASPECT_RATIO_TOLERANCE}. The SDK asks for no aspect ratio, so even a
 *   `crop-and-scale` track keeps a sensor's.
 * - `aspect-ratio-mismatch`: a reported `aspectRatio` that disagrees with `width / height` by
 *   more than {@link ASPECT_RATIO_MISMATCH_TOLERANCE}.
 * - `resize-mode-unknown`: a `resizeMode` other than {@link RESIZE_MODES}.
 * - `device-id-missing`: a labelled (device) track without `deviceId` or `groupId`, which
 *   browsers report for every camera `getUserMedia` opened. An unlabelled track is a custom
 *   source, already reported as such.
 *
 * @example
 * ```ts
 * const track = stream.getVideoTracks()[0];
 * implausibleTrackSettings(track.getSettings(), track.label); // ["odd-size"]
 * ```
 */
export function implausibleTrackSettings(
  settings: TrackSettingsInput,
  label: string,
): TrackSettingsSignal[] {
  const found = new Set<TrackSettingsSignal>();
  const { width, height, frameRate, aspectRatio, resizeMode } = settings;

  if (frameRate !== undefined) {
    if (!Number.isFinite(frameRate) || frameRate <= 0) found.add("frame-rate-invalid");
    else if (frameRate > MAX_CAMERA_FRAME_RATE) found.add("frame-rate-too-high");
  }

  if (width !== undefined || height !== undefined) {
    if (
      width === undefined ||
      height === undefined ||
      !positiveInteger(width) ||
      !positiveInteger(height)
    ) {
      found.add("size-invalid");
    } else {
      const long = Math.max(width, height);
      const short = Math.min(width, height);
      if (short < MIN_CAMERA_SHORT_SIDE || long > MAX_CAMERA_LONG_SIDE) {
        found.add("size-out-of-range");
      }
      if (width % 2 !== 0 || height % 2 !== 0) found.add("odd-size");
      if (!nearKnownRatio(long / short)) found.add("aspect-ratio-unusual");
      if (
        aspectRatio !== undefined &&
        (!Number.isFinite(aspectRatio) ||
          Math.abs(aspectRatio / (width / height) - 1) > ASPECT_RATIO_MISMATCH_TOLERANCE)
      ) {
        found.add("aspect-ratio-mismatch");
      }
    }
  }

  if (resizeMode !== undefined && !RESIZE_MODES.includes(resizeMode)) {
    found.add("resize-mode-unknown");
  }

  if (label !== "" && (!settings.deviceId || !settings.groupId)) found.add("device-id-missing");

  return TRACK_SETTINGS_SIGNALS.filter((signal) => found.has(signal));
}
