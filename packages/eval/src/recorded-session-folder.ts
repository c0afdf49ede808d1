import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  MAX_RECORDED_SESSION_JSON_BYTES,
  PROTOCOL_LIMITS,
  RECORDED_SESSION_FILE,
  RecordedSession,
  recordedFrameName,
  recordedFramesProblem,
  recordedSessionFiles,
  recordedSessionFolder,
} from "@lumen/protocol";

/** A recorded session read back: its facts and its frames, both checked. */
export interface RecordedSessionData {
  readonly session: RecordedSession;
  /** `frame-00.jpg` … in order, byte for byte as uploaded. */
  readonly frames: readonly Uint8Array[];
}

const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** The first problem zod found, as `path: message`. */
function firstIssue(error: {
  readonly issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const path = issue.path.map(String).join(".");
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}

/**
 * Checks a recording and throws a `TypeError` naming the first problem: `session.json`'s
 * schema (claims equal to the token's payload, same session and nonce), then the frames
 * (count, JPEG, size, SHA-256 against the claims).
 *
 * @throws {TypeError} When the recording is not a valid recorded session.
 * @example
 * ```ts
 * const session = checkRecordedSession(JSON.parse(text), frames);
 * ```
 */
export function checkRecordedSession(
  value: unknown,
  frames: readonly Uint8Array[],
): RecordedSession {
  const parsed = RecordedSession.safeParse(value);
  if (!parsed.success) throw new TypeError(`${RECORDED_SESSION_FILE}: ${firstIssue(parsed.error)}`);
  const problem = recordedFramesProblem(parsed.data, frames, sha256Hex);
  if (problem !== null) throw new TypeError(problem);
  return parsed.data;
}

/**
 * Writes a recorded session under `root` as `bona-fide/<sessionId>/` or
 * `attack/<species>/<sessionId>/` (`session.json` and `frame-NN.jpg`), after checking it. The
 * folder appears whole or not at all (written beside it, then renamed); an existing recording
 * of the same session is never overwritten.
 *
 * @returns The session's folder.
 * @throws {TypeError} When the recording is invalid; `EEXIST` when the session was recorded.
 * @example
 * ```ts
 * const folder = await writeRecordedSession("/data/sessions", session, frames);
 * ```
 */
export async function writeRecordedSession(
  root: string,
  session: RecordedSession,
  frames: readonly Uint8Array[],
): Promise<string> {
  const checked = checkRecordedSession(session, frames);
  const folder = join(root, ...recordedSessionFolder(checked.label, checked.sessionId));
  await mkdir(dirname(folder), { recursive: true });
  if (await stat(folder).catch(() => null)) {
    throw Object.assign(new Error(`${checked.sessionId} is already recorded`), { code: "EEXIST" });
  }
  const partial = `${folder}.partial-${process.pid}-${Date.now()}`;
  await mkdir(partial);
  try {
    for (const file of recordedSessionFiles(checked, frames)) {
      await writeFile(join(partial, file.name), file.content);
    }
    await rename(partial, folder);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return folder;
}

/**
 * Reads and checks one recorded session's folder: `session.json` (at most
 * `MAX_RECORDED_SESSION_JSON_BYTES`) and exactly `frame-00.jpg` … one per frame claim, nothing
 * else but names starting with a dot.
 *
 * @throws {TypeError} Naming the problem: bad JSON, a schema error, a missing, extra, oversized
 * or non-JPEG frame, a SHA-256 that is not the claim's.
 * @example
 * ```ts
 * const { session, frames } = await readRecordedSession("/data/sessions/attack/print/ses_…");
 * ```
 */
export async function readRecordedSession(folder: string): Promise<RecordedSessionData> {
  const names = (await readdir(folder)).filter((name) => !name.startsWith("."));
  if (!names.includes(RECORDED_SESSION_FILE)) {
    throw new TypeError(`no ${RECORDED_SESSION_FILE}`);
  }
  const jsonPath = join(folder, RECORDED_SESSION_FILE);
  if ((await stat(jsonPath)).size > MAX_RECORDED_SESSION_JSON_BYTES) {
    throw new TypeError(
      `${RECORDED_SESSION_FILE} is larger than ${MAX_RECORDED_SESSION_JSON_BYTES} bytes`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(jsonPath, "utf8"));
  } catch {
    throw new TypeError(`${RECORDED_SESSION_FILE} is not valid JSON`);
  }
  const parsed = RecordedSession.safeParse(value);
  if (!parsed.success) throw new TypeError(`${RECORDED_SESSION_FILE}: ${firstIssue(parsed.error)}`);
  const expected = parsed.data.claims.frames.map((_, i) => recordedFrameName(i));
  const extra = names.filter((name) => name !== RECORDED_SESSION_FILE && !expected.includes(name));
  if (extra.length > 0) throw new TypeError(`unexpected file ${extra.sort()[0] ?? ""}`);
  const frames: Uint8Array[] = [];
  for (const name of expected) {
    if (!names.includes(name)) throw new TypeError(`${name} is missing`);
    const path = join(folder, name);
    // Refuse an oversized file before reading it.
    if ((await stat(path)).size > PROTOCOL_LIMITS.maxFrameBytes) {
      throw new TypeError(`${name} is larger than ${PROTOCOL_LIMITS.maxFrameBytes} bytes`);
    }
    frames.push(new Uint8Array(await readFile(path)));
  }
  return { session: checkRecordedSession(value, frames), frames };
}
