/** The host `@mediapipe/tasks-vision` 1.1.0 posts its usage metrics to. */
export const MEDIAPIPE_TELEMETRY_HOST = "odml.pa.googleapis.com";

/** The part of a realm (window or worker global) {@link blockMediapipeTelemetry} patches. */
export interface TelemetryRealm {
  fetch: typeof fetch;
  readonly location: { readonly href: string };
  lumenTelemetryBlocked?: true;
}

/**
 * Makes this realm's `fetch` refuse requests to {@link MEDIAPIPE_TELEMETRY_HOST}, so MediaPipe
 * Tasks' usage metrics never leave the device even when the page's CSP would allow them. Meant
 * for the tracking worker only, whose realm the SDK owns; the integrator's CSP `connect-src`
 * (which should not list that host) is the second line. Idempotent.
 *
 * @param realm The global to patch; this realm's by default (a seam for tests).
 * @example
 * ```ts
 * blockMediapipeTelemetry(); // before the first FaceLandmarker is created
 * ```
 */
export function blockMediapipeTelemetry(realm: TelemetryRealm = globalThis): void {
  if (realm.lumenTelemetryBlocked) return;
  const original = realm.fetch.bind(realm);
  realm.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input), realm.location.href);
    // A fully qualified name ("host.") resolves to the same host.
    if (url.hostname.replace(/\.$/, "") === MEDIAPIPE_TELEMETRY_HOST) {
      return Promise.reject(new TypeError(`${url.origin} is blocked by @lumen/sdk`));
    }
    return original(input, init);
  };
  realm.lumenTelemetryBlocked = true;
}
