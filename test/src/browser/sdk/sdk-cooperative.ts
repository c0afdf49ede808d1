// Browser half of test/src/sdk-cooperative.test.ts (DOM types: its own tsconfig), bundled by
// esbuild when the test starts. A cooperative subject for @lumen/sdk's headless session: a
// canvas `captureStream()` is the session's `source`; it plays frames of a genuine video and
// answers the challenge as a person in front of the screen would. While the display shows a
// flash colour, the face region takes a share of that colour (the screen's light); once a head
// turn is prompted, the source moves to the video's moments where the head turns that way.
import { createLivenessSession } from "@lumen/sdk";
import type { PoseDirection } from "@lumen/protocol";
import type {
  CooperativeFrame,
  CooperativePage,
  CooperativeRunInput,
  CooperativeRunOutput,
} from "../sdk-cooperative-run.ts";
import { createTrackingWorker, paintTime, recordSession, sessionAssets } from "./record-session.ts";

// The share of the flashed colour in the lit face: the server test's simulation.
const FLASH_BLEND = 0.15;

interface LoadedFrame {
  readonly frame: CooperativeFrame;
  readonly bitmap: ImageBitmap;
}

async function load(frames: readonly CooperativeFrame[]): Promise<LoadedFrame[]> {
  return Promise.all(
    frames.map(async (frame) => {
      const res = await fetch(frame.url);
      if (!res.ok) throw new Error(`${frame.url}: HTTP ${res.status}`);
      return { frame, bitmap: await createImageBitmap(await res.blob()) };
    }),
  );
}

/** The subject: a canvas that plays `neutral` frames, tinted or turned as the display asks. */
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
  let tint: string | null = null;
  let step = 0;
  let advancedAt = 0;
  let running = true;
  const draw = (now: number): void => {
    if (!running) return;
    if (now - advancedAt >= 1000 / framesPerSecond) {
      step++;
      advancedAt = now;
    }
    const shown = sequence[step % sequence.length] ?? first;
    context.globalAlpha = 1;
    context.drawImage(shown.bitmap, 0, 0);
    if (tint !== null) {
      // The face box grown by a third, as in the server's simulation: the screen lights the
      // whole face. Alpha blending is exactly (1 − a)·pixel + a·colour.
      const { box } = shown.frame;
      const grow = box.width / 6;
      context.globalAlpha = FLASH_BLEND;
      context.fillStyle = tint;
      context.fillRect(box.x - grow, box.y - grow, box.width + 2 * grow, box.height + 2 * grow);
    }
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  return {
    stream: canvas.captureStream(),
    light(colour: string | null) {
      tint = colour;
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
    createTrackingWorker,
    display: {
      async showColour(colour) {
        document.body.style.background = colour ?? "";
        const at = await paintTime();
        colourPaints.push({ colour, at });
        stepsAt.push([`flash:${colour ?? "none"}`, Math.round(at)]);
        // The light reaches the camera's picture a little after the paint (display and exposure
        // latency); a subject that does not reflect it is a replayed video.
        later(input.cameraLatencyMs, () => {
          subject.light(input.flashResponse ? colour : null);
        });
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
