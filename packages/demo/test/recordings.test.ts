import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jpeg from "jpeg-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PROTOCOL_LIMITS, type RecordedSession, type ResultTokenClaims } from "@lumen/protocol";
import {
  MAX_RECORDING_BODY_BYTES,
  startDemoServer,
  type DemoRequestLogEntry,
  type DemoServer,
} from "../server/index.ts";
import { buildRecordedSession } from "../src/recorded-session.ts";

const T0 = 1_750_000_000_000;
const SESSION_ID = "ses_RecordedSession0000001";

function smallJpeg(seed: number): Uint8Array {
  const width = 16;
  const height = 12;
  const data = Buffer.alloc(width * height * 4, 255);
  for (let i = 0; i < width * height; i++) data[i * 4] = (seed * 53) % 256;
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
const b64url = (text: string): string => Buffer.from(text).toString("base64url");
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

function recording(
  frames: readonly Uint8Array[],
  overrides: Partial<RecordedSession> = {},
): RecordedSession {
  const claims: ResultTokenClaims = {
    sid: SESSION_ID,
    nonce: "nonce-of-the-recorded-session",
    iat: Math.floor(T0 / 1000),
    exp: Math.floor(T0 / 1000) + 120,
    frames: frames.map((frame, i) => ({
      capturedAt: T0 + 100 * i,
      sha256: sha256(frame),
      width: 16,
      height: 12,
      scores: { faces: 1, liveness: 2.5, realness: 0.9 },
    })),
    flashesShownAt: [T0 + 50],
    posesShownAt: [T0 + 200],
    models: "a".repeat(64),
    signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 4 },
  };
  return {
    format: "lumen-recorded-session/1",
    sessionId: SESSION_ID,
    policy: "standard",
    label: { kind: "attack", species: "print" },
    recordedAt: T0 + 5000,
    start: {
      nonce: claims.nonce,
      challenge: {
        flashes: [{ pattern: "full", colours: ["#ff0000", "#ff0000"], durationMs: 400 }],
        poses: [{ direction: "left", holdMs: 600 }],
        oval: { centerX: 0.5, centerY: 0.5, width: 0.6, height: 0.8 },
      },
      evidence: {
        minFrames: 2,
        maxFrames: PROTOCOL_LIMITS.maxFrames,
        maxFrameBytes: PROTOCOL_LIMITS.maxFrameBytes,
        maxFramePixels: PROTOCOL_LIMITS.maxFramePixels,
      },
      deadline: T0 + 180_000,
    },
    startedAt: T0 - 300,
    capture: { cameraLabel: "Camera", userAgent: "test", trackSettings: {}, customSource: false },
    token: `${b64url('{"alg":"ES256"}')}.${b64url(JSON.stringify(claims))}.c2ln`,
    claims,
    serverDecision: { decision: "fail", reasons: ["SPOOF_SUSPECTED"] },
    consent: { given: true, at: T0 + 4000 },
    ...overrides,
  };
}

const FRAMES = [smallJpeg(1), smallJpeg(2), smallJpeg(3)];

let recordings: string;
let site: string;
let demo: DemoServer;
let off: DemoServer;
const logs: DemoRequestLogEntry[] = [];

beforeAll(async () => {
  recordings = mkdtempSync(join(tmpdir(), "lumen-recordings-"));
  site = mkdtempSync(join(tmpdir(), "lumen-demo-site-"));
  // Recording never calls the verification server: any URL will do.
  const common = {
    lumenUrl: "http://127.0.0.1:9",
    apiKey: "bank-secret-for-recordings",
    site: { kind: "static", dir: site },
  } as const;
  demo = await startDemoServer({
    ...common,
    recordingsDir: recordings,
    log: (entry) => logs.push(entry),
  });
  off = await startDemoServer(common);
});
afterAll(async () => {
  await demo.close();
  await off.close();
  rmSync(recordings, { recursive: true, force: true });
  rmSync(site, { recursive: true, force: true });
});
afterEach(() => {
  // Empty the folder but keep it: the server was started with it.
  for (const name of readdirSync(recordings)) {
    rmSync(join(recordings, name), { recursive: true, force: true });
  }
});

/** Every file under the recordings folder, relative, sorted. */
function written(): string[] {
  const walk = (dir: string, prefix: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    );
  return walk(recordings, "").sort();
}

function post(server: DemoServer, body: unknown, contentType = "application/json") {
  return fetch(`${server.url}/rp/recordings`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe("POST /rp/recordings", () => {
  it("writes an accepted recording as attack/<species>/<sessionId>/ and logs no body", async () => {
    const session = recording(FRAMES);
    const res = await post(demo, { session, frames: FRAMES.map(base64) });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ path: `attack/print/${SESSION_ID}` });
    const folder = join(recordings, "attack", "print", SESSION_ID);
    expect(written()).toEqual(
      ["frame-00.jpg", "frame-01.jpg", "frame-02.jpg", "session.json"].map(
        (name) => `attack/print/${SESSION_ID}/${name}`,
      ),
    );
    expect(JSON.parse(readFileSync(join(folder, "session.json"), "utf8"))).toEqual(session);
    for (const [i, frame] of FRAMES.entries()) {
      expect(new Uint8Array(readFileSync(join(folder, `frame-0${i}.jpg`)))).toEqual(frame);
    }
    expect(logs.at(-1)).toEqual({
      method: "POST",
      route: "/rp/recordings",
      status: 201,
      code: null,
    });
  });

  it("writes bona fide sessions to bona-fide/<sessionId>/ and refuses a second donation", async () => {
    const session = recording(FRAMES, { label: { kind: "bona-fide", species: "live" } });
    expect((await post(demo, { session, frames: FRAMES.map(base64) })).status).toBe(201);
    expect(written()).toContain(`bona-fide/${SESSION_ID}/session.json`);
    const again = await post(demo, { session, frames: FRAMES.map(base64) });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("CONFLICT");
  });

  const good = recording(FRAMES);
  const garbage = new Uint8Array(64).fill(7);
  const withoutToken: Partial<RecordedSession> = { ...good };
  delete withoutToken.token;
  it.each([
    ["a body that is not JSON", "{ nope", /not valid JSON/],
    ["an unknown field", { session: good, frames: FRAMES.map(base64), extra: 1 }, /extra/],
    ["no frames", { session: good, frames: [] }, /frames/],
    ["a frame that is not base64", { session: good, frames: ["@@@@", "", ""] }, /frames\.0/],
    [
      "a frame in non-canonical base64",
      {
        session: good,
        frames: [base64(FRAMES[0] ?? garbage).replace(/=+$/, ""), ...FRAMES.slice(1).map(base64)],
      },
      /canonical base64/,
    ],
    [
      "one frame fewer than claimed",
      { session: good, frames: FRAMES.slice(1).map(base64) },
      /2 frames for 3/,
    ],
    [
      "a frame that is not a JPEG",
      {
        session: recording([garbage, ...FRAMES.slice(1)]),
        frames: [garbage, ...FRAMES.slice(1)].map(base64),
      },
      /frame-00\.jpg is not a complete JPEG/,
    ],
    [
      "a frame whose SHA-256 is not its claim",
      { session: good, frames: [FRAMES[1], FRAMES[0], FRAMES[2]].map((f) => base64(f ?? garbage)) },
      /frame-00\.jpg does not match its SHA-256 claim/,
    ],
    [
      "claims that are not the token's payload",
      {
        session: { ...good, claims: { ...good.claims, posesShownAt: [T0 + 999] } },
        frames: FRAMES.map(base64),
      },
      /not the token's payload/,
    ],
    ["no token", { session: withoutToken, frames: FRAMES.map(base64) }, /session\.token/],
    [
      "a species that is not a folder name",
      {
        session: { ...good, label: { kind: "attack", species: "../../etc" } },
        frames: FRAMES.map(base64),
      },
      /session\.label\.species/,
    ],
    [
      "no consent",
      { session: { ...good, consent: { given: false, at: T0 } }, frames: FRAMES.map(base64) },
      /session\.consent\.given/,
    ],
    [
      "another format",
      { session: { ...good, format: "lumen-recorded-session/2" }, frames: FRAMES.map(base64) },
      /session\.format/,
    ],
  ])("refuses %s with 400 and writes nothing", async (_, body, message) => {
    const res = await post(demo, body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("REQUEST_INVALID");
    expect(error.message).toMatch(message);
    expect(written()).toEqual([]);
  });

  it("refuses a body that is not application/json, and one over the size bound (413)", async () => {
    const text = await post(demo, JSON.stringify({ session: good, frames: [] }), "text/plain");
    expect(text.status).toBe(400);
    const huge = await post(demo, "x".repeat(MAX_RECORDING_BODY_BYTES + 1));
    expect(huge.status).toBe(413);
    expect(written()).toEqual([]);
  });

  it("answers 404 with a clear error when the demo was started without a recordings folder", async () => {
    const res = await post(off, { session: good, frames: FRAMES.map(base64) });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({
      code: "NOT_FOUND",
      message:
        "This demo does not collect recordings (start it with LUMEN_DEMO_RECORDINGS=<folder>)",
    });
  });

  it("refuses a recordings folder that is relative or missing when the server starts", async () => {
    for (const recordingsDir of ["relative/dir", join(recordings, "missing")]) {
      await expect(
        startDemoServer({
          lumenUrl: "http://127.0.0.1:9",
          apiKey: "key",
          site: { kind: "static", dir: site },
          recordingsDir,
        }),
      ).rejects.toThrow(TypeError);
    }
  });
});

describe("buildRecordedSession (the page)", () => {
  it("builds session.json from the SDK's evidence, the claims decoded from the token", () => {
    const expected = recording(FRAMES);
    const built = buildRecordedSession({
      sessionId: SESSION_ID,
      policy: "standard",
      evidence: {
        start: expected.start,
        startedAt: expected.startedAt,
        capture: expected.capture,
        token: expected.token,
        frames: FRAMES,
      },
      label: expected.label,
      serverDecision: { decision: "fail", reasons: ["SPOOF_SUSPECTED"] },
      consentAt: T0 + 4000,
      now: T0 + 5000,
    });
    expect(built).toEqual(expected);
  });
});
