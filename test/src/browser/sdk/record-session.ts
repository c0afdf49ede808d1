// Page-side helpers shared by the SDK session pages (sdk-session.ts, sdk-cooperative.ts): the
// session's assets from the test's input, paint times, and a run of the session that records
// its events and ends in plain JSON for the test.
import { LumenError, type LivenessSession } from "@lumen/sdk";
import type { SdkRunInput, SdkRunOutput } from "../sdk-run.ts";

/** What {@link recordSession} reports: a run's output but what the page's display and workers count. */
export type SessionRecord = Omit<SdkRunOutput, "colourPaints" | "workersCreated">;

/**
 * The time the next frame paints, on the clock of `performance.timeOrigin`: the frame's start
 * (`requestAnimationFrame`'s timestamp), as the SDK's own display reports it.
 */
export function paintTime(): Promise<number> {
  return new Promise((resolve) => {
    requestAnimationFrame((frameStart) => {
      resolve(performance.timeOrigin + frameStart);
    });
  });
}

/** The session's `assets` option from the test's input. */
export function sessionAssets(input: SdkRunInput) {
  return {
    modelBaseUrl: input.modelBaseUrl,
    wasmBaseUrl: input.wasmBaseUrl,
  };
}

/**
 * Records the session's states, hints, quality issues, steps and frames, starts it and closes
 * it once it has settled; an error ends the run as its code and message.
 */
export async function recordSession(session: LivenessSession): Promise<SessionRecord> {
  const states: string[] = [];
  const hints: string[] = [];
  const qualityIssues: (string | null)[] = [];
  const steps: string[] = [];
  let framesReported = 0;
  let framesTracked = 0;
  session.on("state", ({ state }) => states.push(state));
  session.on("hint", ({ hint }) => hints.push(hint));
  session.on("quality", ({ issue }) => qualityIssues.push(issue));
  session.on("step", ({ step }) =>
    steps.push(
      `${step.kind}:${step.kind === "illumination" ? step.light.colours.join("|") : step.direction}`,
    ),
  );
  session.on("frame", ({ tracked }) => {
    framesReported++;
    if (tracked) framesTracked++;
  });
  let status: string | null = null;
  let retryAllowed: boolean | null = null;
  let errorCode: string | null = null;
  let errorMessage: string | null = null;
  try {
    ({ status, retryAllowed } = await session.start());
  } catch (error) {
    errorCode = error instanceof LumenError ? error.code : `not a LumenError: ${String(error)}`;
    errorMessage = error instanceof Error ? error.message : null;
  }
  const stats = session.stats;
  session.close();
  return {
    status,
    retryAllowed,
    errorCode,
    errorMessage,
    stats,
    states,
    hints,
    qualityIssues,
    steps,
    framesReported,
    framesTracked,
  };
}
