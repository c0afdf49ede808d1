import { ERROR_CODES, ErrorBody, LumenError, type LumenErrorCode } from "@lumen/protocol";

/**
 * The `LumenError` a failed server response stands for: its typed code when the body is a v1
 * error body with a known code, else `INTERNAL` with the HTTP status.
 *
 * @example
 * ```ts
 * if (!response.ok) throw await serverError(response);
 * ```
 */
export async function serverError(response: Response): Promise<LumenError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: a proxy's page, say.
  }
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success && Object.hasOwn(ERROR_CODES, parsed.data.error.code)) {
    return new LumenError(parsed.data.error.code as LumenErrorCode, parsed.data.error.message);
  }
  return new LumenError("INTERNAL", `The server answered HTTP ${response.status}`);
}
