// The demo page's calls to its own backend (`/rp/*`); the backend holds the API key.
import type {
  AttachReferenceResponse,
  Policy,
  RecordedSession,
  ReferenceKind,
} from "@lumen/protocol";
import { toBase64 } from "./recorded-session.ts";
import type {
  RpErrorBody,
  RpRecordingRequest,
  RpRecordingSaved,
  RpResult,
  RpSession,
} from "./rp-types.ts";

export type { RpResult, RpSession } from "./rp-types.ts";

/** A failed call to the demo backend, with its error code (`REQUEST_INVALID`, `UPSTREAM_FAILED`…). */
export class RpClientError extends Error {
  override readonly name = "RpClientError";

  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function answer<T>(res: Response, expected: number): Promise<T> {
  if (res.status === expected) return (await res.json()) as T;
  let body: Partial<RpErrorBody> = {};
  try {
    body = (await res.json()) as Partial<RpErrorBody>;
  } catch {
    // Not our JSON error: keep the status.
  }
  throw new RpClientError(
    body.error?.code ?? "HTTP_ERROR",
    body.error?.message ?? `The demo backend answered HTTP ${String(res.status)}`,
    res.status,
  );
}

/**
 * Asks the demo backend for a new Lumen session (`POST /rp/sessions`).
 *
 * @throws {RpClientError} When the backend refuses or the verification server is down.
 * @example
 * ```ts
 * const { sessionId, clientToken, serverUrl } = await createRpSession("no-flash");
 * ```
 */
export async function createRpSession(policy?: Policy): Promise<RpSession> {
  const res = await fetch("/rp/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(policy === undefined ? {} : { policy }),
  });
  return answer<RpSession>(res, 201);
}

/**
 * Attaches the person's reference image, a photo of their identity document (`document`) or a
 * portrait (`portrait`), to a session before its capture starts
 * (`PUT /rp/sessions/:id/reference-image`): the server compares the live face with it. The
 * image goes as it is, with its own media type (`image/jpeg` or `image/png`).
 *
 * @throws {RpClientError} With the server's code and message when it refuses the image
 * (`REFERENCE_UNUSABLE` 422: no face, several faces, too small, too dark…; `IMAGE_INVALID`),
 * or when the backend fails.
 * @example
 * ```ts
 * const session = await createRpSession();
 * await attachReferenceImage(session.sessionId, input.files[0], "document");
 * ```
 */
export async function attachReferenceImage(
  sessionId: string,
  image: Blob,
  kind: ReferenceKind,
): Promise<AttachReferenceResponse> {
  const res = await fetch(
    `/rp/sessions/${encodeURIComponent(sessionId)}/reference-image?kind=${kind}`,
    { method: "PUT", headers: { "content-type": image.type }, body: image },
  );
  return answer<AttachReferenceResponse>(res, 200);
}

/**
 * Reads a session's result from the demo backend (`GET /rp/sessions/:id`), its verdict checked
 * against the server's JWKS there.
 *
 * @throws {RpClientError} When the id is unknown or the backend fails.
 * @example
 * ```ts
 * const result = await fetchRpResult(session.sessionId);
 * if (result.verdictVerified && result.verdict?.decision === "pass") proceed();
 * ```
 */
export async function fetchRpResult(sessionId: string): Promise<RpResult> {
  const res = await fetch(`/rp/sessions/${encodeURIComponent(sessionId)}`);
  return answer<RpResult>(res, 200);
}

/**
 * The URL of an audit frame, proxied by the demo backend.
 *
 * @example
 * ```ts
 * image.src = auditFrameUrl(result.session.sessionId, result.session.auditFrames[0] ?? 0);
 * ```
 */
export function auditFrameUrl(sessionId: string, n: number): string {
  return `/rp/sessions/${encodeURIComponent(sessionId)}/frames/${String(n)}`;
}

/**
 * Donates a finished session to the demo's recordings (`POST /rp/recordings`): its
 * `session.json` and its evidence JPEGs. Biometric data: call it only after the person agreed.
 *
 * @throws {RpClientError} `NOT_FOUND` when the demo does not collect recordings,
 * `REQUEST_INVALID` when the backend refuses the recording, `CONFLICT` when it was donated.
 * @example
 * ```ts
 * const { path } = await postRecording(session, evidence.frames);
 * ```
 */
export async function postRecording(
  session: RecordedSession,
  frames: readonly Uint8Array[],
): Promise<RpRecordingSaved> {
  const body: RpRecordingRequest = { session, frames: frames.map(toBase64) };
  const res = await fetch("/rp/recordings", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return answer<RpRecordingSaved>(res, 201);
}
