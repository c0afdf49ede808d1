// The data the cooperative-subject page (browser/sdk/sdk-cooperative.ts) and its test exchange:
// plain JSON, DOM-free so both the Node and the DOM program compile it.
import type { SdkRunInput, SdkRunOutput } from "./sdk-run.ts";

/** One frame of the genuine video, extracted by the test, with the face the server sees in it. */
export interface CooperativeFrame {
  /** Where the page fetches the frame (a JPEG). */
  readonly url: string;
  /** The frame's time in the video. */
  readonly timestampMs: number;
  /** The face box, in frame pixels, that a flash's light tints. */
  readonly box: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
  };
}

/** What the test passes to one cooperative run. */
export interface CooperativeRunInput extends Omit<SdkRunInput, "cameraFailure"> {
  /** Frames the subject shows while looking at the screen, in video order. */
  readonly neutral: readonly CooperativeFrame[];
  /** Frames where the head is turned the asked way (past the server's threshold), per prompt. */
  readonly turned: Readonly<Record<"left" | "right" | "up" | "down", readonly CooperativeFrame[]>>;
  /** Tint the face towards each flash colour (the light of the screen), or ignore the flashes. */
  readonly flashResponse: boolean;
  /** How long after a flash is painted its light shows in the source's frames. */
  readonly cameraLatencyMs: number;
  /** How long after a prompt is painted the head starts turning. */
  readonly reactionMs: number;
  /** The rate at which the source advances through its frames. */
  readonly framesPerSecond: number;
}

/** What one cooperative run reports: the SDK run's output, and the pose of each analysed frame. */
export interface CooperativeRunOutput extends SdkRunOutput {
  /** `[capturedAt, yawDegrees, pitchDegrees]` of each tracked frame, from the SDK's events. */
  readonly poses: readonly (readonly [number, number, number])[];
  /** `[step, paint time]` of each flash and prompt. */
  readonly stepsAt: readonly (readonly [string, number])[];
}

/** The page's test API, `globalThis.lumenCooperative`. */
export interface CooperativePage {
  run(input: CooperativeRunInput): Promise<CooperativeRunOutput>;
}
