import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessEvidence, summariseFrame, type FrameEvidence } from "@lumen/core";
import {
  PROTOCOL_LIMITS,
  type Decision,
  type RecordedSession,
  type RecordedSessionLabel,
  type ReasonCode,
  type ResultTokenClaims,
} from "@lumen/protocol";
import { checkJpegHeader, createOnnxFrameAnalyzer, decodeJpeg } from "@lumen/server";
import { main } from "../src/cli.ts";
import { readRecordedSession, writeRecordedSession } from "../src/recorded-session-folder.ts";
import type { EvalReport } from "../src/report.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const stills = join(repoRoot, "..", "shared", "media", "stills");
const modelDir = join(repoRoot, "models", "dist");

const T0 = 1_750_000_000_000;
const FRAMES = 6;
const b64url = (text: string): string => Buffer.from(text).toString("base64url");
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** A `no-flash` session whose every frame is the same still: the head never turns. */
function recording(
  sessionId: string,
  label: RecordedSessionLabel,
  still: Uint8Array,
  serverDecision?: { decision: Decision; reasons: ReasonCode[] },
): { session: RecordedSession; frames: Uint8Array[] } {
  const { width, height } = checkJpegHeader(still, PROTOCOL_LIMITS.maxFramePixels);
  const frames = Array.from({ length: FRAMES }, () => still);
  const nonce = "recorded-session-nonce-0001";
  const claims: ResultTokenClaims = {
    sid: sessionId,
    nonce,
    iat: Math.floor(T0 / 1000) + 5,
    exp: Math.floor(T0 / 1000) + 125,
    frames: frames.map((frame, i) => ({
      capturedAt: T0 + 200 * i,
      sha256: sha256(frame),
      width,
      height,
      scores: null,
    })),
    flashesShownAt: [],
    posesShownAt: [T0 + 300, T0 + 600, T0 + 900],
    models: "0".repeat(64),
    signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 3.5 },
  };
  // Not a valid signature: recordings do not keep the device key, so nothing checks it.
  const token = `${b64url('{"alg":"ES256","typ":"lumen-result+jwt"}')}.${b64url(JSON.stringify(claims))}.c2ln`;
  const session: RecordedSession = {
    format: "lumen-recorded-session/1",
    sessionId,
    policy: "no-flash",
    label,
    recordedAt: T0 + 10_000,
    start: {
      nonce,
      challenge: {
        flashes: [],
        poses: [
          { direction: "left", holdMs: 600 },
          { direction: "right", holdMs: 600 },
          { direction: "up", holdMs: 600 },
        ],
        oval: { centerX: 0.5, centerY: 0.5, width: 0.6, height: 0.8 },
      },
      evidence: {
        minFrames: 4,
        maxFrames: PROTOCOL_LIMITS.maxFrames,
        maxFrameBytes: PROTOCOL_LIMITS.maxFrameBytes,
        maxFramePixels: PROTOCOL_LIMITS.maxFramePixels,
      },
      deadline: T0 + 180_000,
    },
    startedAt: T0 - 500,
    capture: {
      cameraLabel: "Integrated Camera",
      userAgent: "test",
      trackSettings: { width, height, frameRate: 30 },
      customSource: false,
    },
    token,
    claims,
    ...(serverDecision ? { serverDecision } : {}),
    consent: { given: true, at: T0 + 9_000 },
  };
  return { session, frames };
}

const sid = (n: number): string => `ses_${String(n).padStart(22, "0")}`;

let root: string;
let report: EvalReport;
let exitCode: number;
let stderr = "";
/** What the server's code decides on each valid session, computed here without the replay module. */
const direct = new Map<string, { decision: Decision; reasons: readonly ReasonCode[] }>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lumen-eval-sessions-"));
  const dir = join(root, "sessions");
  const [live, print, replay] = await Promise.all(
    ["silentface-image_T1.jpg", "silentface-image_F1.jpg", "silentface-image_F2.jpg"].map(
      async (name) => new Uint8Array(await readFile(join(stills, name))),
    ),
  );
  if (!live || !print || !replay) throw new Error("stills missing");
  const valid = [
    recording(sid(1), { kind: "bona-fide", species: "live" }, live),
    recording(sid(2), { kind: "attack", species: "print" }, print),
    recording(sid(3), { kind: "attack", species: "replay" }, replay),
  ];
  const analyzer = await createOnnxFrameAnalyzer({ modelDir });
  try {
    for (const { session, frames } of valid) {
      const evidence: FrameEvidence[] = [];
      for (const [i, bytes] of frames.entries()) {
        const image = await decodeJpeg(bytes, { maxPixels: PROTOCOL_LIMITS.maxFramePixels });
        const capturedAt = session.claims.frames[i]?.capturedAt ?? 0;
        evidence.push(summariseFrame(image, await analyzer.analyse(image), capturedAt));
      }
      const result = assessEvidence({
        policy: session.policy,
        challenge: session.start.challenge,
        claims: session.claims,
        capture: session.capture,
        frames: evidence,
      });
      direct.set(session.sessionId, { decision: result.decision, reasons: result.reasons });
    }
  } finally {
    await analyzer.close();
  }
  const [first, second, third] = valid;
  if (!first || !second || !third) throw new Error("unreachable");
  // 1: the live server said what the code says; 2: it said something else; 3: not recorded.
  const said = direct.get(sid(1));
  await writeRecordedSession(
    dir,
    {
      ...first.session,
      ...(said ? { serverDecision: { ...said, reasons: [...said.reasons] } } : {}),
    },
    first.frames,
  );
  await writeRecordedSession(
    dir,
    { ...second.session, serverDecision: { decision: "pass", reasons: [] } },
    second.frames,
  );
  await writeRecordedSession(dir, third.session, third.frames);

  // Corrupt sessions: each must be skipped with its reason, never stop the run.
  const corrupt = async (n: number, label: RecordedSessionLabel): Promise<string> => {
    const { session, frames } = recording(sid(n), label, print);
    return writeRecordedSession(dir, session, frames);
  };
  await writeFile(
    join(await corrupt(4, { kind: "attack", species: "print" }), "session.json"),
    "{ not json",
  );
  await unlink(join(await corrupt(5, { kind: "attack", species: "replay" }), "frame-01.jpg"));
  await writeFile(
    join(await corrupt(6, { kind: "bona-fide", species: "live" }), "frame-02.jpg"),
    live,
  );
  const relabelled = await corrupt(7, { kind: "attack", species: "print" });
  const moved = join(dir, "attack", "replay", sid(7));
  await writeFile(join(relabelled, "notes.txt"), "x");
  await mkdir(moved);
  for (const name of [
    "session.json",
    ...Array.from({ length: FRAMES }, (_, i) => `frame-0${i}.jpg`),
  ]) {
    await writeFile(join(moved, name), await readFile(join(relabelled, name)));
  }

  exitCode = await main(["--sessions", "sessions", "--out", "out"], {
    stdout: { write: () => true },
    stderr: {
      write: (text: string) => {
        stderr += text;
        return true;
      },
    },
    cwd: root,
    modelDir,
  });
  report = JSON.parse(await readFile(join(root, "out", "report.json"), "utf8")) as EvalReport;
}, 240_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("pnpm eval --sessions", () => {
  it("replays the valid sessions with the server's full decision", () => {
    expect(exitCode, stderr).toBe(0);
    expect(report.mode).toBe("sessions");
    expect(report.policy).toBe("recorded");
    expect(report.items.map((i) => i.path)).toEqual([
      `bona-fide/${sid(1)}`,
      `attack/print/${sid(2)}`,
      `attack/replay/${sid(3)}`,
    ]);
    for (const item of report.items) {
      const id = item.path.split("/").at(-1) ?? "";
      expect(item.media).toBe("session");
      expect(item.policy).toBe("no-flash");
      expect(item.frames).toBe(FRAMES);
      expect({ decision: item.outcome, reasons: item.reasons }).toEqual(direct.get(id));
      expect(item.decision).toBe(item.outcome === "pass" ? "accepted" : "rejected");
    }
  });

  it("runs the challenge checks: a still never turns its head", () => {
    for (const item of report.items) {
      expect(item.outcome).toBe("fail");
      expect(item.reasons).toContain("CHALLENGE_FAILED");
    }
  });

  it("reports the ISO/IEC 30107-3 measures per species on the decisions", () => {
    expect(report.counts.bonaFide).toBe(1);
    expect(report.counts.attackBySpecies).toEqual({ print: 1, replay: 1 });
    expect(report.counts.bonaFideBySpecies).toEqual({ live: 1 });
    expect(report.apcer).toEqual({ print: 0, replay: 0 });
    expect(report.bpcer).toBe(1);
    expect(report.acer).toBe(0.5);
    expect(report.sampling).toBeNull();
    expect(report.decisionThresholds).toBeNull();
  });

  it("counts which sessions reproduce the live server's decision", () => {
    expect(report.sessions).toEqual({ reproduced: 1, mismatched: 1, unknown: 1 });
    expect(report.items.map((i) => i.reproduces)).toEqual([true, false, null]);
    expect(report.items[1]?.serverDecision).toEqual({ decision: "pass", reasons: [] });
  });

  it("skips and reports corrupt sessions with their reason", () => {
    const errors = Object.fromEntries(report.skipped.map((s) => [s.path, s.error]));
    expect(errors).toEqual({
      [`attack/print/${sid(4)}`]: "session.json is not valid JSON",
      [`attack/replay/${sid(5)}`]: "frame-01.jpg is missing",
      [`bona-fide/${sid(6)}`]: "frame-02.jpg does not match its SHA-256 claim",
      [`attack/print/${sid(7)}`]: "unexpected file notes.txt",
      [`attack/replay/${sid(7)}`]: 'labelled species "print" but stored under replay/',
    });
    expect(stderr).toContain(`skipped attack/replay/${sid(5)}: frame-01.jpg is missing`);
  });

  it("writes an HTML report with the reproduction columns", async () => {
    const html = await readFile(join(root, "out", "report.html"), "utf8");
    expect(html).toContain("Live decisions reproduced / mismatched / not recorded");
    expect(html).toContain("<th>Reproduced</th>");
    expect(html).not.toContain("Passive models");
    expect(html).not.toContain("<script");
  });
});

describe("recorded session folders", () => {
  it("read back exactly what was written", async () => {
    const { session, frames } = await readRecordedSession(
      join(root, "sessions", "bona-fide", sid(1)),
    );
    expect(session.sessionId).toBe(sid(1));
    expect(frames).toHaveLength(FRAMES);
    expect(sha256(frames[0] ?? new Uint8Array())).toBe(session.claims.frames[0]?.sha256);
  });

  it("refuse to write an invalid recording or to overwrite one", async () => {
    const still = new Uint8Array(await readFile(join(stills, "silentface-image_T1.jpg")));
    const { session, frames } = recording(sid(1), { kind: "bona-fide", species: "live" }, still);
    const dir = join(root, "sessions");
    await expect(writeRecordedSession(dir, session, frames)).rejects.toThrow(/already recorded/);
    const other = recording(sid(9), { kind: "bona-fide", species: "live" }, still);
    await expect(
      writeRecordedSession(
        dir,
        { ...other.session, claims: { ...other.session.claims, nonce: "x".repeat(20) } },
        other.frames,
      ),
    ).rejects.toThrow(TypeError);
    await expect(writeRecordedSession(dir, other.session, other.frames.slice(1))).rejects.toThrow(
      "5 frames for 6 frame claims",
    );
  });
});
