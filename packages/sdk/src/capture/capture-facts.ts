import { PROTOCOL_LIMITS, type CaptureFacts } from "@lumen/protocol";

/**
 * The capture facts reported to the server at start: camera label, track settings, user agent
 * and whether the integrator passed its own source. Reported, never trusted.
 *
 * @example
 * ```ts
 * const facts = captureFacts(stream.getVideoTracks()[0], { customSource: false });
 * ```
 */
export function captureFacts(
  track: MediaStreamTrack | undefined,
  options: { readonly customSource: boolean; readonly userAgent?: string },
): CaptureFacts {
  const settings = track?.getSettings() ?? {};
  const whole = (value: number | undefined): number | undefined =>
    value === undefined ? undefined : Math.round(value);
  const trackSettings: CaptureFacts["trackSettings"] = {};
  const width = whole(settings.width);
  const height = whole(settings.height);
  if (width !== undefined) trackSettings.width = width;
  if (height !== undefined) trackSettings.height = height;
  if (settings.frameRate !== undefined) trackSettings.frameRate = settings.frameRate;
  if (settings.facingMode !== undefined)
    trackSettings.facingMode = settings.facingMode.slice(0, 32);
  // Not in every DOM lib version; Chromium reports "none" or "crop-and-scale".
  const resizeMode = (settings as { resizeMode?: unknown }).resizeMode;
  if (typeof resizeMode === "string") trackSettings.resizeMode = resizeMode.slice(0, 32);
  return {
    cameraLabel: (track?.label ?? "").slice(0, PROTOCOL_LIMITS.cameraLabelMaxLength),
    userAgent: (options.userAgent ?? navigator.userAgent).slice(
      0,
      PROTOCOL_LIMITS.userAgentMaxLength,
    ),
    trackSettings,
    customSource: options.customSource,
  };
}
