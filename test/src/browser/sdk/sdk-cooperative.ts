// Browser half of test/src/sdk-cooperative.test.ts (DOM types: its own tsconfig), bundled by
// esbuild when the test starts. A cooperative subject for @lumen/sdk's headless session: a
// canvas `captureStream()` is the session's `source`; it plays frames of a genuine video and
// answers the challenge as a person in front of the screen would. While the display shows an
// illumination step, the frame is relit by `@lumen/relight` (mode 3d: the screen's light on the
// face's surface, from its mesh) from the paint on; once a head turn is prompted, the
// source moves to the video's moments where the head turns that way.
import { relightFrame, type ScreenState } from "@lumen/relight";
import { createLivenessSession, illuminationBackground } from "@lumen/sdk";
import type { PoseDirection } from "@lumen/protocol";
import type {
  CooperativeFrame,
  CooperativePage,
  CooperativeRunInput,
  CooperativeRunOutput,
} from "../sdk-cooperative-run.ts";
import { paintTime, recordSession, sessionAssets } from "./record-session.ts";

interface LoadedFrame {
  readonly frame: CooperativeFrame;
  readonly bitmap: ImageBitmap;
  readonly points: Float32Array;
}

async function load(frames: readonly CooperativeFrame[]): Promise<LoadedFrame[]> {
  return Promise.all(
    frames.map(async (frame) => {
      const res = await fetch(frame.url);
      if (!res.ok) throw new Error(`${frame.url}: HTTP ${res.status}`);
      const bitmap = await createImageBitmap(await res.blob());
      return { frame, bitmap, points: Float32Array.from(frame.points) };
    }),
  );
}

/** The subject: a canvas that plays `neutral` frames, relit or turned as the display asks. */
function createSubject(
  neutral: readonly LoadedFrame[],
  turned: Readonly<Record<PoseDirection, readonly LoadedFrame[]>>,
  framesPerSecond: number,
) {
  const first = neutral[0];
  if (!first) throw new Error("no neutral frames");
  const canvas = document.createElement("canvas");
  canvas.width = first.bitmap.width;
  canvas.height = first.bitmap.height;
  document.body.append(canvas);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no 2d context");
  let sequence: readonly LoadedFrame[] = neutral;
  let screen: ScreenState | null = null;
  let step = 0;
  let advancedAt = 0;
  let running = true;
  // The relit picture (sensor noise alone while the screen adds no light, so lit and unlit
  // frames differ only by the light), rendered once per source frame and screen; the canvas is
  // repainted on every animation frame all the same, so the stream keeps the display's rate.
  const relit = document.createElement("canvas");
  relit.width = canvas.width;
  relit.height = canvas.height;
  const relitContext = relit.getContext("2d", { willReadFrequently: true });
  if (!relitContext) throw new Error("no 2d context");
  let rendered: { shown: LoadedFrame; screen: ScreenState | null } | null = null;
  const render = (): void => {
    const shown = sequence[step % sequence.length] ?? first;
    if (rendered?.shown !== shown || rendered.screen !== screen) {
      relitContext.drawImage(shown.bitmap, 0, 0);
      const frame = relitContext.getImageData(0, 0, relit.width, relit.height);
      frame.data.set(relightFrame(frame, shown.points, screen).data);
      relitContext.putImageData(frame, 0, 0);
      rendered = { shown, screen };
    }
    context.drawImage(relit, 0, 0);
  };
  const draw = (now: number): void => {
    if (!running) return;
    if (now - advancedAt >= 1000 / framesPerSecond) {
      step++;
      advancedAt = now;
    }
    render();
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  return {
    stream: canvas.captureStream(),
    /** The face reflects `next` at once: the canvas is relit now, as the lab's subject does. */
    light(next: ScreenState | null) {
      screen = next;
      render();
    },
    look(direction: PoseDirection | null) {
      sequence = direction === null ? neutral : turned[direction];
      step = 0;
    },
    stop() {
      running = false;
      canvas.remove();
    },
  };
}

async function run(input: CooperativeRunInput): Promise<CooperativeRunOutput> {
  const [neutral, left, right, up, down] = await Promise.all([
    load(input.neutral),
    load(input.turned.left),
    load(input.turned.right),
    load(input.turned.up),
    load(input.turned.down),
  ]);
  const subject = createSubject(neutral, { left, right, up, down }, input.framesPerSecond);
  const colourPaints: { colour: string | null; at: number }[] = [];
  const poses: [number, number, number][] = [];
  const stepsAt: [string, number][] = [];
  let workersCreated = 0;
  const timers = new Set<number>();
  const later = (ms: number, action: () => void): void => {
    const timer = window.setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };
  const session = createLivenessSession({
    serverUrl: input.serverUrl,
    sessionId: input.sessionId,
    clientToken: input.clientToken,
    assets: sessionAssets(input),
    source: subject.stream,
    createWorker: () => {
      workersCreated++;
      return new Worker("/analysis-worker.mjs", { type: "module", name: "lumen-analysis" });
    },
    display: {
      async showIllumination(light) {
        const colour = light === null ? null : illuminationBackground(light);
        document.body.style.background = colour ?? "";
        const at = await paintTime();
        colourPaints.push({ colour, at });
        stepsAt.push([
          `light:${light === null ? "none" : light.colours.join("|")}`,
          Math.round(at),
        ]);
        // The light reaches the face at the paint and the canvas is relit there and then; the
        // camera's lag is the relight and the canvas capture. A timer for a webcam's lag on top
        // fired late behind the page's work and read 180 ms in CI, a relight left to the next
        // animation frame 220 ms. A subject that does not reflect it is a replayed video.
        subject.light(input.flashResponse ? light : null);
        return at;
      },
      async showPrompt(direction) {
        const at = await paintTime();
        stepsAt.push([`pose:${direction ?? "none"}`, Math.round(at)]);
        later(direction === null ? 0 : input.reactionMs, () => {
          subject.look(direction);
        });
        return at;
      },
    },
  });
  session.on("frame", ({ capturedAt, yawDegrees, pitchDegrees }) => {
    if (yawDegrees !== null && pitchDegrees !== null) {
      poses.push([Math.round(capturedAt), yawDegrees, pitchDegrees]);
    }
  });
  const record = await recordSession(session);
  for (const timer of timers) clearTimeout(timer);
  subject.stop();
  for (const { bitmap } of [...neutral, ...left, ...right, ...up, ...down]) bitmap.close();
  return { ...record, colourPaints, workersCreated, poses, stepsAt };
}

const page: CooperativePage = { run };
(globalThis as unknown as { lumenCooperative: CooperativePage }).lumenCooperative = page;
