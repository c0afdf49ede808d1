// The camera an attack shows the SDK: a canvas `captureStream()` that plays the attack's media.
// A passive attack plays it as it is; an adaptive one answers the challenge as a person in front
// of the screen would: the face is relit by each illumination step (`@lumen/relight`: the
// screen's light on the face's surface, from the studied landmarks) and the head turns when
// prompted — the face re-rendered turned in 3D from its landmarks (a simple
// face reenactment, which is what an adaptive attacker does). Synthesised rather than picked
// from the media's own turns: a video's turns are rarely past the server's thresholds by a
// margin, and many videos have none.
import type { PoseDirection } from "@lumen/protocol";
import { relightFrame, type RelightMode, type ScreenState } from "@lumen/relight";
import type { MediaFrame } from "./load-media.ts";
import type { FrameStudy, StudiedFrame } from "./study-frames.ts";
import { createFaceTurner, type FaceTurn } from "./subject/turn-face.ts";

/** How long after a prompt the head starts turning. */
export const REACTION_MS = 300;
/** Rate at which the source moves through its frames. */
const FRAMES_PER_SECOND = 10;
/**
 * The synthesised turns: the server measures about 80% of them (test/src/head-turn-synthesis),
 * past its thresholds (10° yaw, 7° pitch) with a margin. No larger: the warp distorts the face's
 * landmark geometry, and past about 16° of pitch the server's face-consistency check reads
 * another face (FACE_CHANGED).
 */
const SYNTHESISED_TURN: Record<PoseDirection, FaceTurn> = {
  left: { yawDegrees: 18, pitchDegrees: 0 },
  right: { yawDegrees: -18, pitchDegrees: 0 },
  up: { yawDegrees: 0, pitchDegrees: 13 },
  down: { yawDegrees: 0, pitchDegrees: -13 },
};

/** One person's media as the subject plays it. */
export type SubjectClip =
  /** Played as it is, every frame in order, looping. */
  | { readonly kind: "passive"; readonly frames: readonly MediaFrame[] }
  /** Studied: neutral frames with their landmarks (to light and to turn). */
  | { readonly kind: "adaptive"; readonly study: FrameStudy };

/** How the subject behaves. */
export interface SubjectOptions {
  /** The media; a second clip takes over `swapAfterMs` after the challenge begins. */
  readonly clips: readonly [SubjectClip] | readonly [SubjectClip, SubjectClip];
  readonly swapAfterMs?: number;
  /** Reflect the screen's light (adaptive clips only). */
  readonly answerFlashes: boolean;
  /**
   * How the light is reflected (`@lumen/relight`): `3d` as a live face (the default), or one of
   * the attacks the illumination check must refuse (`flat`, `tint-face`, `tint-frame`,
   * `swapped`).
   */
  readonly mode?: RelightMode;
  /**
   * A delay before the light reaches the subject's frames, as an attacker rendering it late;
   * default 0 (the light reaches the face at the paint, see {@link SimulatedSubject.illuminate}).
   */
  readonly delayMs?: number;
  /** Turn the head when prompted (adaptive clips only). */
  readonly answerPrompts: boolean;
  /** A label the track reports, as a virtual camera (OBS, ManyCam…) would. */
  readonly trackLabel?: string;
}

/** The running subject. */
export interface SimulatedSubject {
  readonly stream: MediaStream;
  /**
   * The display paints `light` now (`null`: back to normal); the face reflects it at once (plus
   * `delayMs`): the canvas is relit there and then, not at the next animation frame. The
   * camera's lag is the subject's own pipeline, the relight (10–100 ms on a loaded 2-core
   * machine) and the canvas capture. A timer for a webcam's lag on top of it, and a relight
   * left to the next animation frame, fired 100–290 ms late in CI behind the page's other work,
   * and the light then read 170–330 ms late: beyond any camera and the server's bound.
   */
  illuminate(light: ScreenState | null): void;
  /** The display prompted a head turn (`null`: look back at the screen). */
  prompt(direction: PoseDirection | null): void;
  stop(): void;
}

interface Shown {
  readonly frame: MediaFrame;
  readonly studied: StudiedFrame | null;
  readonly turn: FaceTurn | null;
}

function sequenceOf(
  clip: SubjectClip,
  direction: PoseDirection | null,
  answerPrompts: boolean,
): Shown[] {
  if (clip.kind === "passive") {
    return clip.frames.map((frame) => ({ frame, studied: null, turn: null }));
  }
  const { study } = clip;
  const turn = direction === null || !answerPrompts ? null : SYNTHESISED_TURN[direction];
  return study.neutral.map((f) => ({ frame: f, studied: f, turn }));
}

/**
 * Starts the subject's canvas (appended to `host`, which may hide it) and its stream.
 *
 * @example
 * ```ts
 * const subject = startSubject(host, { clips: [{ kind: "adaptive", study }], answerFlashes: true, answerPrompts: true, mode: "3d" });
 * createLivenessSession({ ...session, source: subject.stream, display: relay(display, subject) });
 * ```
 */
export function startSubject(host: HTMLElement, options: SubjectOptions): SimulatedSubject {
  const mode = options.mode ?? "3d";
  const delayMs = options.delayMs ?? 0;
  if (!(delayMs >= 0)) throw new TypeError(`delayMs must be ≥ 0, got ${delayMs}`);
  const first = options.clips[0];
  const firstFrame = first.kind === "passive" ? first.frames[0] : first.study.neutral[0];
  if (!firstFrame) throw new Error("The attack's media has no frame to play");
  const canvas = document.createElement("canvas");
  canvas.width = firstFrame.bitmap.width;
  canvas.height = firstFrame.bitmap.height;
  canvas.className = "subject";
  host.append(canvas);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("No 2D canvas context");
  const turner = createFaceTurner();
  let clip: SubjectClip = first;
  let direction: PoseDirection | null = null;
  let sequence = sequenceOf(clip, null, options.answerPrompts);
  let screen: ScreenState | null = null;
  // The studied frame relit for the current screen, rendered once per frame and screen: the
  // canvas is repainted on every animation frame from it.
  const relit = document.createElement("canvas");
  relit.width = canvas.width;
  relit.height = canvas.height;
  const relitContext = relit.getContext("2d", { willReadFrequently: true });
  if (!relitContext) throw new Error("No 2D canvas context");
  let rendered: { frame: StudiedFrame; screen: ScreenState | null } | null = null;
  const relight = (frame: StudiedFrame): HTMLCanvasElement => {
    if (rendered?.frame !== frame || rendered.screen !== screen) {
      relitContext.drawImage(frame.bitmap, 0, 0, relit.width, relit.height);
      const pixels = relitContext.getImageData(0, 0, relit.width, relit.height);
      pixels.data.set(relightFrame(pixels, frame.points, screen, { mode }).data);
      relitContext.putImageData(pixels, 0, 0);
      rendered = { frame, screen };
    }
    return relit;
  };
  let step = 0;
  let advancedAt = 0;
  let running = true;
  let challengeStarted = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };
  const beginChallenge = (): void => {
    if (challengeStarted) return;
    challengeStarted = true;
    const second = options.clips[1];
    if (second) {
      later(options.swapAfterMs ?? 1500, () => {
        clip = second;
        sequence = sequenceOf(clip, direction, options.answerPrompts);
        step = 0;
      });
    }
  };
  const render = (): void => {
    // Back and forth through the frames: a loop would jump from the last frame to the first.
    const period = Math.max(1, 2 * sequence.length - 2);
    const phase = step % period;
    const shown = sequence[phase < sequence.length ? phase : period - phase];
    if (shown) {
      // A studied frame that answers the light is relit (unchanged while the screen adds no
      // light: the media carries its own camera's noise), with the landmarks of the unturned
      // face: the screen is dark again before any head turn is prompted.
      const source =
        shown.studied && options.answerFlashes ? relight(shown.studied) : shown.frame.bitmap;
      if (shown.turn && shown.studied) {
        turner.draw(context, source, canvas.width, canvas.height, shown.studied.points, shown.turn);
      } else {
        context.drawImage(source, 0, 0, canvas.width, canvas.height);
      }
    }
  };
  const draw = (now: number): void => {
    if (!running) return;
    if (now - advancedAt >= 1000 / FRAMES_PER_SECOND) {
      step++;
      advancedAt = now;
    }
    render();
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  const stream = canvas.captureStream();
  const label = options.trackLabel;
  if (label !== undefined) {
    for (const track of stream.getVideoTracks())
      Object.defineProperty(track, "label", { value: label });
  }
  return {
    stream,
    illuminate(light) {
      if (light !== null) beginChallenge();
      const reflect = (): void => {
        screen = light;
        render();
      };
      if (delayMs === 0) reflect();
      else later(delayMs, reflect);
    },
    prompt(next) {
      if (next !== null) beginChallenge();
      later(next === null ? 0 : REACTION_MS, () => {
        direction = next;
        sequence = sequenceOf(clip, direction, options.answerPrompts);
        step = 0;
      });
    },
    stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      for (const track of stream.getTracks()) track.stop();
      canvas.remove();
    },
  };
}
