import type { LivenessStrings } from "../liveness-strings.ts";

/**
 * English texts of `<lumen-liveness>`: the fallback for any language without a bundled locale.
 *
 * @example
 * ```ts
 * en.errors.CAMERA_DENIED; // "Camera access was blocked. …"
 * ```
 */
export const en: LivenessStrings = {
  title: "Face check",
  intro: "We will check that you are present in front of your camera. It takes about 20 seconds.",
  start: "Start the check",
  cancel: "Cancel",
  retry: "Try again",
  progressLabel: "Check progress",
  warningTitle: "Photosensitivity warning",
  warningBody:
    "During the check your screen will flash several colours. If you have photosensitive epilepsy or are sensitive to flashing light, choose the check without flashing.",
  warningConfirm: "Continue with flashing",
  warningDecline: "Check without flashing",
  noFlashRequested: "A check without flashing was requested.",
  flashing: "Keep still and look at the screen while it changes colour.",
  states: {
    "checking-support": "Checking your browser…",
    "opening-camera": "Opening the camera…",
    "loading-models": "Preparing the check…",
    positioning: "Place your face inside the oval.",
    challenge: "Follow the instructions on screen.",
    uploading: "Sending the result…",
  },
  hints: {
    "no-face": "No face found. Place your face inside the oval.",
    "several-faces": "More than one face is visible. Make sure only you are in view.",
    "too-far": "Move closer to the camera.",
    "too-close": "Move a little further from the camera.",
    "off-oval": "Center your face inside the oval.",
    "hold-still": "Good. Hold still.",
    "pose-left": "Turn your head slowly to the left.",
    "pose-right": "Turn your head slowly to the right.",
    "pose-up": "Tilt your head slowly up.",
    "pose-down": "Tilt your head slowly down.",
    "pose-reached": "Good. Hold that position.",
  },
  quality: {
    "too-dark": "Too dark. Move to a brighter place or turn on a light.",
    "too-bright": "Too bright. Move away from direct light.",
    blurry: "The image is blurry. Hold still and wipe the camera lens.",
    "turned-away": "Look straight at the camera.",
  },
  results: {
    pass: "Check complete. Thank you.",
    fail: "We could not confirm the check.",
    retry: "The check was not clear enough. Please try again.",
  },
  errors: {
    CAMERA_DENIED:
      "Camera access was blocked. Allow the camera in your browser settings, then try again.",
    CAMERA_NOT_FOUND: "No camera was found. Connect a camera, then try again.",
    CAMERA_IN_USE: "The camera is used by another application. Close it, then try again.",
    UNSUPPORTED_BROWSER:
      "This browser cannot run the check. Please use a recent version of Chrome, Edge, Firefox or Safari.",
    WORKER_CRASHED: "The check stopped unexpectedly. Please try again.",
    MODEL_INTEGRITY_FAILED:
      "The check files could not be verified, so the check was stopped for your safety. Please try again later.",
    MODEL_NOT_FOUND: "The check files could not be loaded. Please try again later.",
    NETWORK_FAILED: "The connection was lost. Check your connection, then try again.",
    CANCELLED: "The check was cancelled.",
    SESSION_EXPIRED: "This check has expired. Please start again.",
    RATE_LIMITED: "Too many attempts. Please wait a moment, then try again.",
    BUSY: "The service is busy. Please try again in a moment.",
    VIRTUAL_CAMERA:
      "A virtual camera or camera software seems to be in use. Please use your device's built-in camera.",
    generic: "Something went wrong. Please try again.",
  },
};
