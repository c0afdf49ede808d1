import { z } from "zod";
import { PROTOCOL_LIMITS as L } from "./limits.ts";
import { REASON_CODES } from "./reason-codes.ts";
import {
  CaptureFacts,
  Decision,
  Policy,
  ResultTokenClaims,
  StartSessionResponse,
} from "./schemas.ts";

/** The `format` of every `session.json`; a reader refuses any other. */
export const RECORDED_SESSION_FORMAT = "lumen-recorded-session/1";

/** The file of a recorded session's facts, beside its frames. */
export const RECORDED_SESSION_FILE = "session.json";

/**
 * Largest `session.json` (as written by {@link recordedSessionFiles}): the token (at most
 * `maxTokenLength` characters), its claims decoded once more, and the start, with room to spare.
 */
export const MAX_RECORDED_SESSION_JSON_BYTES = 4 * L.maxTokenLength + 64_000;

/**
 * An attack species or bona fide kind, as a folder name: lower-case letters, digits and inner
 * dashes, at most 32 characters (`print`, `screen-replay`, `live`).
 */
export const RecordedSpecies = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, "a lower-case name of letters, digits and -");

/** What a recorded session presents, as the person who donated it labelled it. */
export const RecordedSessionLabel = z.strictObject({
  kind: z.enum(["bona-fide", "attack"]),
  species: RecordedSpecies,
});

const epochMs = z.number().int().min(0).max(8.64e15);

/**
 * The compact JWS's payload segment as ASCII text, `null` when it is not three segments of
 * base64url or not ASCII. No signature check: the device key is not recorded.
 */
function tokenPayloadText(token: string): string | null {
  const parts = token.split(".");
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) {
    return null;
  }
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let bits = 0;
  let value = 0;
  let text = "";
  for (const char of payload) {
    value = (value << 6) | alphabet.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const byte = (value >> bits) & 0xff;
      // The SDK's claims are ASCII (ids, base64url, hex, numbers, enum names).
      if (byte >= 0x80) return null;
      text += String.fromCharCode(byte);
    }
  }
  return text;
}

/** JSON with object keys sorted, so two equal values compare equal as text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * `session.json` of a recorded session: everything the verification server knew when it
 * decided, so `pnpm eval --sessions` can run the same decision again. Beside it in the same
 * folder: `frame-00.jpg` … one JPEG per `claims.frames` entry, byte for byte as uploaded.
 * Biometric data: recorded only with the person's consent (`consent`).
 */
export const RecordedSession = z
  .strictObject({
    format: z.literal(RECORDED_SESSION_FORMAT),
    sessionId: z.string().regex(/^ses_[A-Za-z0-9_-]{22}$/),
    policy: Policy,
    label: RecordedSessionLabel,
    /** When the recording was made (epoch ms). */
    recordedAt: epochMs,
    /** The server's answer to `POST /start`: challenge, nonce, evidence limits, deadline. */
    start: StartSessionResponse,
    /** When the SDK asked for the start (epoch ms, its clock): the server's start is a little later. */
    startedAt: epochMs,
    capture: CaptureFacts,
    /** The result token the SDK uploaded (compact JWS, signed by the session's device key). */
    token: z.string().min(1).max(L.maxTokenLength),
    /** The token's claims, decoded for readers; must equal the token's payload. */
    claims: ResultTokenClaims,
    /** What the live server decided, when known. */
    serverDecision: z
      .strictObject({ decision: Decision, reasons: z.array(z.enum(REASON_CODES)).max(32) })
      .optional(),
    consent: z.strictObject({ given: z.literal(true), at: epochMs }),
  })
  .superRefine((session, ctx) => {
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: "custom", path, message });
    };
    if (session.claims.sid !== session.sessionId) {
      issue(["claims", "sid"], "The claims are for another session");
    }
    if (session.claims.nonce !== session.start.nonce) {
      issue(["claims", "nonce"], "The claims' nonce is not the start's");
    }
    if (session.claims.frames.length > session.start.evidence.maxFrames) {
      issue(["claims", "frames"], "More frames than the session's evidence limits allow");
    }
    const payload = tokenPayloadText(session.token);
    let decoded: unknown = null;
    try {
      decoded = payload === null ? null : JSON.parse(payload);
    } catch {
      decoded = null;
    }
    const parsed = ResultTokenClaims.safeParse(decoded);
    if (!parsed.success || canonicalJson(parsed.data) !== canonicalJson(session.claims)) {
      issue(["claims"], "The claims are not the token's payload");
    }
  });

/** `session.json`'s content. */
export type RecordedSession = z.infer<typeof RecordedSession>;
/** A recorded session's label. */
export type RecordedSessionLabel = z.infer<typeof RecordedSessionLabel>;

/**
 * The file name of frame `index` of a recorded session: `frame-00.jpg`, `frame-01.jpg` … (two
 * digits: at most `PROTOCOL_LIMITS.maxFrames` frames).
 *
 * @example
 * ```ts
 * recordedFrameName(7); // "frame-07.jpg"
 * ```
 */
export function recordedFrameName(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= L.maxFrames) {
    throw new RangeError(`A frame index is 0 to ${L.maxFrames - 1}, got ${index}`);
  }
  return `frame-${String(index).padStart(2, "0")}.jpg`;
}

/**
 * The folder of a recorded session under a recordings root, as path segments:
 * `bona-fide/<sessionId>` or `attack/<species>/<sessionId>`.
 *
 * @example
 * ```ts
 * recordedSessionFolder({ kind: "attack", species: "print" }, "ses_…"); // ["attack", "print", "ses_…"]
 * ```
 */
export function recordedSessionFolder(
  label: RecordedSessionLabel,
  sessionId: string,
): readonly string[] {
  return label.kind === "bona-fide"
    ? ["bona-fide", sessionId]
    : ["attack", label.species, sessionId];
}

/**
 * Why the frames of a recorded session cannot be its evidence, or `null` when they can: one
 * per claimed frame, each a JPEG (SOI marker, EOI at the end) within the session's byte limit
 * whose SHA-256 is the one its claim names. `sha256Hex` is injected so this stays free of any
 * platform's crypto.
 *
 * @example
 * ```ts
 * const problem = recordedFramesProblem(session, frames, (b) => createHash("sha256").update(b).digest("hex"));
 * ```
 */
export function recordedFramesProblem(
  session: Pick<RecordedSession, "claims" | "start">,
  frames: readonly Uint8Array[],
  sha256Hex: (bytes: Uint8Array) => string,
): string | null {
  const claimed = session.claims.frames;
  if (frames.length !== claimed.length) {
    return `${frames.length} frames for ${claimed.length} frame claims`;
  }
  const maxBytes = Math.min(session.start.evidence.maxFrameBytes, L.maxFrameBytes);
  for (const [i, bytes] of frames.entries()) {
    const name = recordedFrameName(i);
    if (bytes.length > maxBytes) return `${name} is larger than ${maxBytes} bytes`;
    const jpeg =
      bytes.length >= 4 &&
      bytes[0] === 0xff &&
      bytes[1] === 0xd8 &&
      bytes[2] === 0xff &&
      bytes[bytes.length - 2] === 0xff &&
      bytes[bytes.length - 1] === 0xd9;
    if (!jpeg) return `${name} is not a complete JPEG`;
    if (sha256Hex(bytes) !== claimed[i]?.sha256) {
      return `${name} does not match its SHA-256 claim`;
    }
  }
  return null;
}

/**
 * The files of a recorded session's folder, in writing order: `session.json` (pretty-printed)
 * and one `frame-NN.jpg` per frame. Writers only create the folder and write these.
 *
 * @example
 * ```ts
 * for (const file of recordedSessionFiles(session, frames)) await writeFile(join(dir, file.name), file.content);
 * ```
 */
export function recordedSessionFiles(
  session: RecordedSession,
  frames: readonly Uint8Array[],
): readonly { readonly name: string; readonly content: string | Uint8Array }[] {
  return [
    { name: RECORDED_SESSION_FILE, content: `${JSON.stringify(session, null, 2)}\n` },
    ...frames.map((content, i) => ({ name: recordedFrameName(i), content })),
  ];
}
