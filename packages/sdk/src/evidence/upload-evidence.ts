import { EvidenceResponse, LumenError } from "@lumen/protocol";
import { serverError } from "./server-error.ts";
import type { ServerTarget } from "./start-remote-session.ts";

/** Options of {@link uploadEvidence}. */
export interface UploadEvidenceOptions {
  /** Attempts on network errors (and `BUSY`); at least 1. */
  readonly attempts: number;
  /** Waits between attempts; `setTimeout` by default. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Cancels the upload: no further attempt, the pending request aborted, `CANCELLED` thrown. */
  readonly signal?: AbortSignal;
}

const cancelled = (cause?: unknown): LumenError =>
  new LumenError("CANCELLED", "The evidence upload was cancelled", { cause });

const sleepMs = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * `POST /v1/sessions/{id}/evidence` as `multipart/form-data` (`token`, `frame0..N`), retried on
 * network errors and `BUSY` with backoff. Safe to retry: the same token and frames either land
 * once or are refused as a replay, never counted twice.
 *
 * @throws {LumenError} The server's typed code, `NETWORK_FAILED` after the last attempt, or
 *   `CANCELLED` once `options.signal` aborts.
 * @example
 * ```ts
 * const { status } = await uploadEvidence(target, token, jpegs, { attempts: 3 });
 * ```
 */
export async function uploadEvidence(
  target: ServerTarget,
  token: string,
  frames: readonly Uint8Array<ArrayBuffer>[],
  options: UploadEvidenceOptions,
): Promise<EvidenceResponse> {
  const url = new URL(
    `v1/sessions/${encodeURIComponent(target.sessionId)}/evidence`,
    target.serverUrl,
  );
  const sleep = options.sleep ?? sleepMs;
  const { signal } = options;
  let lastError: LumenError | null = null;
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    if (signal?.aborted) throw cancelled(signal.reason);
    if (attempt > 0) await sleep(500 * 2 ** (attempt - 1));
    if (signal?.aborted) throw cancelled(signal.reason);
    // A fresh body each attempt: a FormData stream cannot be replayed.
    const form = new FormData();
    form.append("token", token);
    frames.forEach((frame, i) => {
      form.append(`frame${i}`, new Blob([frame], { type: "image/jpeg" }), `frame${i}.jpg`);
    });
    let response: Response;
    try {
      response = await target.fetch(url, {
        method: "POST",
        body: form,
        credentials: "omit",
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if (signal?.aborted) throw cancelled(cause);
      lastError = new LumenError("NETWORK_FAILED", "The evidence upload failed", { cause });
      continue;
    }
    if (!response.ok) {
      const error = await serverError(response);
      if (error.code === "BUSY") {
        lastError = error;
        continue;
      }
      throw error;
    }
    const parsed = EvidenceResponse.safeParse(await response.json());
    if (!parsed.success) {
      throw new LumenError("REQUEST_INVALID", "The server's evidence response is malformed");
    }
    return parsed.data;
  }
  throw lastError ?? new LumenError("NETWORK_FAILED", "The evidence upload failed");
}
