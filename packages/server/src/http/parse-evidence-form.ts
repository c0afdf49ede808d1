import { LumenError, PROTOCOL_LIMITS } from "@lumen/protocol";

/** The parts of an evidence upload. */
export interface EvidenceForm {
  readonly token: string;
  /** Frames in index order (`frame0`, `frame1`, …). */
  readonly frames: readonly Uint8Array[];
}

const FRAME_FIELD = /^frame(0|[1-9][0-9]?)$/;

/**
 * Splits a multipart evidence upload into the token and frames, refusing unknown or duplicate
 * fields, oversized parts and gaps in the frame numbering before anything is verified.
 */
export async function parseEvidenceForm(
  form: FormData,
  limits: { readonly maxFrames: number; readonly maxFrameBytes: number },
): Promise<EvidenceForm> {
  let token: string | null = null;
  const files = new Map<number, Blob>();
  for (const [name, value] of form.entries()) {
    if (name === "token") {
      if (token !== null || typeof value !== "string") {
        throw new LumenError("REQUEST_INVALID", "Exactly one text field `token` is required");
      }
      token = value;
      continue;
    }
    const match = FRAME_FIELD.exec(name);
    if (match === null)
      throw new LumenError("REQUEST_INVALID", `Unknown form field "${name.slice(0, 32)}"`);
    const index = Number(match[1]);
    if (typeof value === "string" || files.has(index)) {
      throw new LumenError("REQUEST_INVALID", `Field ${name} must be one file`);
    }
    if (index >= limits.maxFrames) {
      throw new LumenError("FRAME_COUNT_INVALID", `At most ${limits.maxFrames} frames are allowed`);
    }
    if (value.size > limits.maxFrameBytes) {
      throw new LumenError(
        "PAYLOAD_TOO_LARGE",
        `Frame ${index} exceeds ${limits.maxFrameBytes} bytes`,
      );
    }
    files.set(index, value);
  }
  if (token === null || token.length === 0 || token.length > PROTOCOL_LIMITS.maxTokenLength) {
    throw new LumenError("REQUEST_INVALID", "The `token` field is missing or too long");
  }
  const frames: Uint8Array[] = [];
  for (let i = 0; i < files.size; i++) {
    const file = files.get(i);
    if (file === undefined) throw new LumenError("FRAME_COUNT_INVALID", `Frame ${i} is missing`);
    frames.push(new Uint8Array(await file.arrayBuffer()));
  }
  return { token, frames };
}
