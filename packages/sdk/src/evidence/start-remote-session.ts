import { LumenError, StartSessionResponse, type StartSessionRequest } from "@lumen/protocol";
import { serverError } from "./server-error.ts";

/** Where and as whom to call the server. */
export interface ServerTarget {
  readonly serverUrl: URL;
  readonly sessionId: string;
  readonly fetch: typeof fetch;
}

/**
 * `POST /v1/sessions/{id}/start` with the client token: binds the device key and returns the
 * nonce, challenge, evidence limits and deadline (validated against the v1 schema).
 *
 * @throws {LumenError} The server's typed code, or `NETWORK_FAILED`.
 * @example
 * ```ts
 * const start = await startRemoteSession(target, clientToken, { devicePublicKey, capture });
 * ```
 */
export async function startRemoteSession(
  target: ServerTarget,
  clientToken: string,
  body: StartSessionRequest,
): Promise<StartSessionResponse> {
  const url = new URL(
    `v1/sessions/${encodeURIComponent(target.sessionId)}/start`,
    target.serverUrl,
  );
  let response: Response;
  try {
    response = await target.fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${clientToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    });
  } catch (cause) {
    throw new LumenError("NETWORK_FAILED", "The verification server could not be reached", {
      cause,
    });
  }
  if (!response.ok) throw await serverError(response);
  const parsed = StartSessionResponse.safeParse(await response.json());
  if (!parsed.success) {
    throw new LumenError("REQUEST_INVALID", "The server's start response is malformed", {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
