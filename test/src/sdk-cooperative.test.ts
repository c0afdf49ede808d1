import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  estimateHeadPose,
  POSE_PITCH_THRESHOLD_DEGREES,
  POSE_YAW_THRESHOLD_DEGREES,
  type HeadPose,
} from "@lumen/core";
import { ILLUMINATION_REASONS, type PoseDirection, type SessionResult } from "@lumen/protocol";
import { createOnnxFrameAnalyzer, decodeJpeg } from "@lumen/server";
import type {
  CooperativeFrame,
  CooperativePage,
  CooperativeRunInput,
  CooperativeRunOutput,
} from "./browser/sdk-cooperative-run.ts";
import {
  launchChromium,
  MODEL_DIR,
  openSdkPage,
  prepareSdkPage,
  recordForeignRequests,
  REPO_ROOT,
  serveStatic,
  seededRandom,
  startApiServer,
  videoStill,
  type ApiServer,
  type ForeignRequestLog,
  type LaunchedChromium,
  type StaticServer,
} from "./harness/index.ts";

// A cooperative subject for @lumen/sdk's headless session, against the real server (app and
// pooled verifier): the page feeds the SDK a canvas `captureStream()` that plays frames of a
// genuine video and answers the challenge — the page relights each frame with `@lumen/relight`
// (mode 3d, on the frame's mesh found here in Node by the server's own analyzer) while an
// illumination step is on screen, and the head turns as prompted (the source moves to moments
// of the video where it turns that way, found with `estimateHeadPose`). The server must answer
// `pass`; the same source ignoring the light must `fail` on the illumination checks. A custom
// source is an injection signal only under the `high` policy, so the sessions are `standard`.

const VIDEO = join(REPO_ROOT, "../shared/media/genuine/liveportrait-d3.mp4");
const OTHER_PERSON = join(REPO_ROOT, "../shared/media/genuine/liveportrait-d12.mp4");
const EXTRACT_FPS = 10;
const NEUTRAL_FRAMES = 12;
const TURNED_FRAMES = 6;
// Past the server's threshold by a margin: the SDK's baseline is its own median of the neutral
// frames, a degree or two from the one computed here.
const TURN_MARGIN_DEGREES = 2;
const MIN_TRACKED_FRACTION = 0.9;

declare const window: { lumenCooperative: CooperativePage };

interface AnalysedFrame extends CooperativeFrame {
  readonly pose: HeadPose;
}

const TURN: Record<PoseDirection, (pose: HeadPose) => number> = {
  left: (pose) => pose.yawDegrees,
  right: (pose) => -pose.yawDegrees,
  up: (pose) => pose.pitchDegrees,
  down: (pose) => -pose.pitchDegrees,
};

function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Extracts the video's frames and finds the face's mesh and head pose in each. */
async function analyseVideo(dir: string): Promise<AnalysedFrame[]> {
  await promisify(execFile)("ffmpeg", [
    ...["-loglevel", "error", "-i", VIDEO],
    ...["-vf", `fps=${EXTRACT_FPS}`, "-q:v", "2", join(dir, "%03d.jpg")],
  ]);
  const analyzer = await createOnnxFrameAnalyzer({ modelDir: MODEL_DIR });
  try {
    const frames: AnalysedFrame[] = [];
    for (const file of (await readdir(dir)).filter((f) => f.endsWith(".jpg")).sort()) {
      const image = await decodeJpeg(new Uint8Array(await readFile(join(dir, file))), {
        maxPixels: 1280 * 1280,
      });
      const { faces, face } = await analyzer.analyse(image);
      if (faces.length !== 1 || !face) continue;
      frames.push({
        url: `/frames/${file}`,
        timestampMs: Math.round(((Number.parseInt(file, 10) - 1) * 1000) / EXTRACT_FPS),
        points: Array.from(face.landmarks.points),
        pose: estimateHeadPose(face.landmarks.points),
      });
    }
    return frames;
  } finally {
    await analyzer.close();
  }
}

describe("a cooperative subject answering the @lumen/sdk challenge, against the real server", () => {
  let dir: string;
  let api: ApiServer;
  let pages: StaticServer;
  let browser: LaunchedChromium;
  let foreign: ForeignRequestLog;
  let page: Page;
  let subject: Pick<CooperativeRunInput, "neutral" | "turned">;

  /** What the relying party's reference-image calls answered before the capture. */
  const refusals: { status: number; code: string }[] = [];
  const attach = async (sessionId: string, image: Uint8Array, type = "image/jpeg") => {
    const res = await api.attachReference(sessionId, image, { kind: "portrait", type });
    const body = (await res.json()) as { error?: { code: string } };
    return { status: res.status, code: body.error?.code ?? "" };
  };

  /** Runs one capture; `prepare` is the relying party's work on the `created` session first. */
  const run = async (
    flashResponse: boolean,
    prepare: (sessionId: string) => Promise<void> = () => Promise.resolve(),
  ) => {
    const { sessionId, clientToken } = await api.createSession({ policy: "standard" });
    await prepare(sessionId);
    const input: CooperativeRunInput = {
      serverUrl: api.url,
      sessionId,
      clientToken,
      modelBaseUrl: `${pages.url}/models/`,
      wasmBaseUrl: `${pages.url}/ort/`,
      ...subject,
      flashResponse,
      reactionMs: 300,
      framesPerSecond: EXTRACT_FPS,
    };
    const output: CooperativeRunOutput = await page.evaluate(
      (i) => window.lumenCooperative.run(i),
      input,
    );
    const verdict = await api.getSession(sessionId);
    console.log(
      `flashResponse=${String(flashResponse)}:`,
      JSON.stringify({
        status: output.status,
        error: output.errorCode,
        stats: output.stats,
        steps: output.steps,
        decision: verdict.decision,
        reasons: verdict.reasons,
        scores: verdict.scores,
        match: verdict.match,
      }),
    );
    // The head's path through the challenge, as the SDK saw it: relative to the neutral pose.
    const firstPrompt = output.stepsAt.find(([step]) => step.startsWith("pose:"))?.[1] ?? Infinity;
    const before = output.poses.filter(([at]) => at < firstPrompt);
    const yaw0 = middle(before.map(([, yaw]) => yaw));
    const pitch0 = middle(before.map(([, , pitch]) => pitch));
    console.log(
      "steps:",
      output.stepsAt.map(([step, at]) => `${step}@${at % 100_000}`).join(" "),
      "\nposes after the first prompt (t, Δyaw, Δpitch):",
      output.poses
        .filter(([at]) => at >= firstPrompt)
        .map(([at, y, p]) => `${at % 100_000}:${(y - yaw0).toFixed(0)},${(p - pitch0).toFixed(0)}`)
        .join(" "),
    );
    return { output, verdict };
  };

  let answered: { output: CooperativeRunOutput; verdict: SessionResult };
  let ignored: { output: CooperativeRunOutput; verdict: SessionResult };
  let mismatched: { output: CooperativeRunOutput; verdict: SessionResult };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-sdk-cooperative-"));
    const framesDir = join(dir, "frames");
    await mkdir(framesDir);
    const frames = await analyseVideo(framesDir);
    const neutralYaw = middle(frames.map((f) => f.pose.yawDegrees));
    const neutralPitch = middle(frames.map((f) => f.pose.pitchDegrees));
    const offNeutral = ({ pose }: AnalysedFrame): number =>
      Math.abs(pose.yawDegrees - neutralYaw) + Math.abs(pose.pitchDegrees - neutralPitch);
    const byTime = (a: CooperativeFrame, b: CooperativeFrame) => a.timestampMs - b.timestampMs;
    const plain = ({ url, timestampMs, points }: AnalysedFrame): CooperativeFrame => ({
      url,
      timestampMs,
      points,
    });
    const neutral = [...frames]
      .sort((a, b) => offNeutral(a) - offNeutral(b))
      .slice(0, NEUTRAL_FRAMES)
      .sort(byTime)
      .map(plain);
    const neutralPose: HeadPose = {
      yawDegrees: neutralYaw,
      pitchDegrees: neutralPitch,
      rollDegrees: 0,
    };
    const turnedFrames = (direction: PoseDirection): CooperativeFrame[] => {
      const threshold =
        direction === "left" || direction === "right"
          ? POSE_YAW_THRESHOLD_DEGREES
          : POSE_PITCH_THRESHOLD_DEGREES;
      const turn = TURN[direction];
      return frames
        .filter((f) => turn(f.pose) - turn(neutralPose) >= threshold + TURN_MARGIN_DEGREES)
        .sort((a, b) => turn(b.pose) - turn(a.pose))
        .slice(0, TURNED_FRAMES)
        .sort(byTime)
        .map(plain);
    };
    for (const direction of ["left", "right", "up", "down"] as const) {
      const turn = TURN[direction];
      const most = Math.max(...frames.map((f) => turn(f.pose) - turn(neutralPose)));
      console.log(`most turned ${direction}: ${most.toFixed(1)}°`);
    }
    subject = {
      neutral,
      turned: {
        left: turnedFrames("left"),
        right: turnedFrames("right"),
        up: turnedFrames("up"),
        down: turnedFrames("down"),
      },
    };
    console.log(
      `${frames.length} face frames at ${EXTRACT_FPS} fps; neutral yaw ${neutralYaw.toFixed(1)}° pitch ${neutralPitch.toFixed(1)}°; turned at (ms):`,
      JSON.stringify(
        Object.fromEntries(
          Object.entries(subject.turned).map(([k, list]) => [k, list.map((f) => f.timestampMs)]),
        ),
      ),
    );

    const sdk = await prepareSdkPage({
      page: "sdk-cooperative",
      dir,
      workers: ["analysis"],
      connectSrc: ["http://127.0.0.1:*"],
      cspDirectives: ["img-src 'self' blob:"],
    });
    const routes = { ...sdk.routes };
    for (const frame of frames) routes[frame.url] = join(dir, frame.url);
    pages = await serveStatic({ routes, headers: { "Content-Security-Policy": sdk.csp } });
    // The server draws its challenges from a fixed seed: both sessions ask for left and right
    // turns, which this video makes with a wide margin (about 23° and 14° against the 10° yaw
    // threshold). Its nods (about 11° against 7° for pitch) pass when the machine is idle but
    // not reliably under CI load; the random draws are covered by the server's own tests.
    api = await startApiServer({
      modelDir: MODEL_DIR,
      pageOrigins: [pages.url],
      random: seededRandom(21),
    });
    browser = await launchChromium();
    foreign = await recordForeignRequests(browser.context);
    page = await openSdkPage(browser.context, pages.url, "lumenCooperative");
    // The relying party's document step: a malformed image and a faceless one (a corner of the
    // video's background) are refused and leave the session as it was; then a still cut from
    // d3 itself is attached, and the capture follows.
    const d3Still = await videoStill(VIDEO, 1, "jpeg");
    const background = await videoStill(VIDEO, 1, "png", "crop=128:128:0:0");
    answered = await run(true, async (sessionId) => {
      refusals.push(await attach(sessionId, new Uint8Array(2048).fill(0x5a)));
      refusals.push(await attach(sessionId, background, "image/png"));
      refusals.push(await attach(sessionId, d3Still));
    });
    ignored = await run(false);
    // The same capture against another person's portrait (a still of d12). Its draw may ask for
    // nods, which this video makes with a thin margin: only the face match is asserted.
    const otherStill = await videoStill(OTHER_PERSON, 1, "jpeg");
    mismatched = await run(true, async (sessionId) => {
      refusals.push(await attach(sessionId, otherStill));
    });
  }, 600_000);

  afterAll(async () => {
    await browser.close();
    await pages.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("was asked for left and right turns only (the fixed seed)", () => {
    for (const { output } of [answered, ignored]) {
      const poses = output.stepsAt
        .map(([step]) => step)
        .filter((step) => step.startsWith("pose:") && step !== "pose:none");
      expect(poses.length).toBeGreaterThanOrEqual(2);
      for (const step of poses) expect(step).toMatch(/^pose:(left|right)/);
    }
  });

  it("finds neutral frames and head turns every way in the genuine video", () => {
    expect(subject.neutral.length).toBe(NEUTRAL_FRAMES);
    for (const list of Object.values(subject.turned)) expect(list.length).toBeGreaterThanOrEqual(2);
  });

  it(`tracks the face on ≥ ${MIN_TRACKED_FRACTION * 100}% of analysed frames of the source`, () => {
    for (const { output } of [answered, ignored]) {
      expect(output.errorCode, output.errorMessage ?? "").toBeNull();
      expect(output.stats.virtualCameraLabel).toBe(false);
      expect(output.stats.framesAnalysed).toBeGreaterThanOrEqual(20);
      expect(output.stats.framesTracked / output.stats.framesAnalysed).toBeGreaterThanOrEqual(
        MIN_TRACKED_FRACTION,
      );
      expect(output.hints).toContain("pose-reached");
    }
  });

  it("refuses a malformed and a faceless reference image with a 4xx, keeping the session usable", () => {
    expect(refusals).toEqual([
      { status: 400, code: "IMAGE_INVALID" },
      { status: 422, code: "REFERENCE_UNUSABLE" },
      { status: 200, code: "" },
      { status: 200, code: "" },
    ]);
  });

  it("passes the subject that answers the flashes and turns its head as asked, matching its reference", () => {
    expect(answered.output.status).toBe("pass");
    expect(answered.verdict.decision).toBe("pass");
    expect(answered.verdict.reasons).toEqual([]);
    expect(answered.verdict.referenceImage?.kind).toBe("portrait");
    expect(answered.verdict.match?.decision).toBe("match");
    expect(answered.verdict.match?.similarity).toBeGreaterThan(
      answered.verdict.match?.threshold ?? 1,
    );
  });

  it("fails the same capture against another person's reference with FACE_MISMATCH", () => {
    expect(mismatched.output.status).toBe("fail");
    expect(mismatched.verdict.decision).toBe("fail");
    expect(mismatched.verdict.reasons).toContain("FACE_MISMATCH");
    expect(mismatched.verdict.match?.decision).toBe("mismatch");
    expect(mismatched.verdict.match?.similarity).toBeLessThan(
      mismatched.verdict.match?.threshold ?? 0,
    );
  });

  it("fails the same source without the flash response, on the illumination checks", () => {
    expect(ignored.output.status).toBe("fail");
    expect(ignored.verdict.decision).toBe("fail");
    expect(
      ignored.verdict.reasons.some((reason) => ILLUMINATION_REASONS.some((r) => r === reason)),
      ignored.verdict.reasons.join(),
    ).toBe(true);
    expect(ignored.verdict.reasons).not.toContain("CHALLENGE_FAILED");
  });

  it("sent no request off 127.0.0.1", () => {
    expect(foreign.urls).toEqual([]);
    expect(pages.requests.filter(({ status }) => status !== 200)).toEqual([]);
  });
});
