// The data the cooperative-subject page (browser/sdk/sdk-cooperative.ts) and its test exchange:
// plain JSON, DOM-free so both the Node and the DOM program compile it.
import type { SdkRunInput, SdkRunOutput } from "./sdk-run.ts";

/** One frame of the genuine video, extracted by the test, with the face the server sees in it. */
export interface CooperativeFrame {
  /** Where the page fetches the frame (a JPEG). */
  readonly url: string;
  /** The frame's time in the video. */
  readonly timestampMs: number;
  /**
   * The server's 468-point face mesh of the frame, `x, y, z` in frame pixels (a plain array:
   * typed arrays do not cross `page.evaluate`), which the screen's light is rendered on.
   */
  readonly points: readonly number[];
}

/** What the test passes to one cooperative run. */
export interface CooperativeRunInput extends Omit<SdkRunInput, "cameraFailure"> {
  /** Frames the subject shows while looking at the screen, in video order. */
  readonly neutral: readonly CooperativeFrame[];
  /** Frames where the head is turned the asked way (past the server's threshold), per prompt. */
  readonly turned: Readonly<Record<"left" | "right" | "up" | "down", readonly CooperativeFrame[]>>;
  /** Relight the face with each illumination step (the light of the screen), or ignore them. */
  readonly flashResponse: boolean;
  /** How long after a prompt is painted the head starts turning. */
  readonly reactionMs: number;
  /** The rate at which the source advances through its frames. */
  readonly framesPerSecond: number;
}

/** What one cooperative run reports: the SDK run's output, and the pose of each analysed frame. */
export interface CooperativeRunOutput extends SdkRunOutput {
  /** `[capturedAt, yawDegrees, pitchDegrees]` of each tracked frame, from the SDK's events. */
  readonly poses: readonly (readonly [number, number, number])[];
  /** `[step, paint time]` of each illumination step and prompt. */
  readonly stepsAt: readonly (readonly [string, number])[];
}

/** The page's test API, `globalThis.lumenCooperative`. */
export interface CooperativePage {
  run(input: CooperativeRunInput): Promise<CooperativeRunOutput>;
}
