// Labels of virtual cameras and frame-injection tools: each a way to feed a deepfake as a camera.
const VIRTUAL_CAMERA_PATTERNS: readonly RegExp[] = [
  /virtual/i,
  /\bobs\b/i,
  /manycam/i,
  /v4l2 ?loopback/i,
  /snap ?camera/i,
  /xsplit/i,
  /camtwist/i,
  /e2esoft|vcam/i,
  /droidcam/i,
  /iriun/i,
  /epoccam/i,
  /mmhmm/i,
  /fake/i,
  /\bndi\b/i,
];

/**
 * Whether a camera label names a virtual camera (OBS, ManyCam, v4l2loopback, anything
 * "virtual"…). A heuristic reported to the server as a signal, never a verdict: labels are
 * set by the driver and trivially changed.
 *
 * @example
 * ```ts
 * isVirtualCameraLabel("OBS Virtual Camera"); // true
 * ```
 */
export function isVirtualCameraLabel(label: string): boolean {
  return VIRTUAL_CAMERA_PATTERNS.some((pattern) => pattern.test(label));
}
