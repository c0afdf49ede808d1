import { createHash } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import {
  MAX_RECORDED_SESSION_JSON_BYTES,
  PROTOCOL_LIMITS,
  RecordedSession,
  recordedFramesProblem,
  recordedSessionFiles,
  recordedSessionFolder,
} from "@lumen/protocol";
import type { RpRecordingSaved } from "../src/rp-types.ts";
import { RpError } from "./rp-error.ts";

/** Characters of one frame in base64. */
const MAX_FRAME_BASE64 = Math.ceil(PROTOCOL_LIMITS.maxFrameBytes / 3) * 4;

/**
 * Largest `POST /rp/recordings` body: every frame at its byte limit in base64, and
 * `session.json`'s bound.
 */
export const MAX_RECORDING_BODY_BYTES =
  PROTOCOL_LIMITS.maxFrames * (MAX_FRAME_BASE64 + 3) + MAX_RECORDED_SESSION_JSON_BYTES;

/** `POST /rp/recordings` body: the session's facts, and its frames in canonical base64. */
const RecordingRequest = z.strictObject({
  session: z.unknown(),
  frames: z
    .array(
      z
        .string()
        .max(MAX_FRAME_BASE64)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/),
    )
    .min(1)
    .max(PROTOCOL_LIMITS.maxFrames),
});

const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

function invalid(message: string): RpError {
  return new RpError(400, "REQUEST_INVALID", `The recording is invalid: ${message}`);
}

/** The first problem zod found, as `path: message`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const path = issue.path.map(String).join(".");
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}

/**
 * Checks a donated recording strictly (the recorded-session schema, claims equal to the token's
 * payload, one canonical-base64 JPEG per frame claim within the session's limits, each matching
 * its SHA-256 claim) and writes it under `root` as `bona-fide/<sessionId>/` or
 * `attack/<species>/<sessionId>/`. The folder appears whole or not at all; a session is
 * recorded at most once. Frames are never logged.
 *
 * @throws {RpError} 400 `REQUEST_INVALID` with nothing written; 409 `CONFLICT` when the
 * session was already recorded.
 * @example
 * ```ts
 * const { path } = await saveRecording("/data/recordings", JSON.parse(body));
 * ```
 */
export async function saveRecording(root: string, body: unknown): Promise<RpRecordingSaved> {
  const request = RecordingRequest.safeParse(body);
  if (!request.success) throw invalid(firstIssue(request.error));
  const frames = request.data.frames.map((text, i) => {
    const bytes = Buffer.from(text, "base64");
    if (bytes.toString("base64") !== text) throw invalid(`frames.${i} is not canonical base64`);
    return new Uint8Array(bytes);
  });
  const session = RecordedSession.safeParse(request.data.session);
  if (!session.success) throw invalid(`session.${firstIssue(session.error)}`);
  const problem = recordedFramesProblem(session.data, frames, sha256Hex);
  if (problem !== null) throw invalid(problem);

  const segments = recordedSessionFolder(session.data.label, session.data.sessionId);
  const folder = join(root, ...segments);
  await mkdir(dirname(folder), { recursive: true });
  if (await stat(folder).catch(() => null)) {
    throw new RpError(409, "CONFLICT", "This session was already donated");
  }
  const partial = `${folder}.partial-${process.pid}-${Date.now()}`;
  await mkdir(partial);
  try {
    for (const file of recordedSessionFiles(session.data, frames)) {
      await writeFile(join(partial, file.name), file.content);
    }
    await rename(partial, folder);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return { path: segments.join("/") };
}
