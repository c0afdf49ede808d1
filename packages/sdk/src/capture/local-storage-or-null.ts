/**
 * The page's `localStorage`, or `null` where reading it throws (sandboxed frames, some private
 * modes), so remembering the camera is skipped rather than failing the session.
 *
 * @example
 * ```ts
 * await openCamera(navigator.mediaDevices, { storage: localStorageOrNull(), storageKey });
 * ```
 */
export function localStorageOrNull(): Storage | null {
  try {
    return globalThis.localStorage;
  } catch {
    return null;
  }
}
