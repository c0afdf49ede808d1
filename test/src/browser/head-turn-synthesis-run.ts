// The data the head-turn synthesis page (browser/sdk/head-turn-synthesis.ts) and its test
// exchange: plain JSON, DOM-free so both the Node and the DOM program compile it.

/** One frame of a genuine video with the landmarks the server's analyzer found in it. */
export interface HeadTurnFrame {
  /** Where the page fetches the frame (a JPEG). */
  readonly url: string;
  /** The face mesh's `x, y, z` triples in frame pixels (`face.landmarks.points`). */
  readonly points: readonly number[];
}

/** What the test asks the page to draw: every frame turned by every turn. */
export interface HeadTurnRunInput {
  readonly frames: readonly HeadTurnFrame[];
  readonly turns: readonly { readonly yawDegrees: number; readonly pitchDegrees: number }[];
  /** `canvas.toBlob` JPEG quality, 0..1. */
  readonly jpegQuality: number;
}

/** The turned frames, as base64 JPEGs: `images[frame][turn]`. */
export interface HeadTurnRunOutput {
  readonly images: readonly (readonly string[])[];
  /** Mean time of one `draw`, in milliseconds. */
  readonly meanDrawMs: number;
}

/** The page's test API, `globalThis.lumenHeadTurn`. */
export interface HeadTurnPage {
  run(input: HeadTurnRunInput): Promise<HeadTurnRunOutput>;
  /** Calls `draw` with each kind of bad input and returns `name: message` of what it threw. */
  badInputs(): string[];
}
