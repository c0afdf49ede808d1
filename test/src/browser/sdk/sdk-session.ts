// Browser half of test/src/sdk-session.test.ts (DOM types: its own tsconfig), bundled by esbuild when the test starts: drives
// @lumen/sdk's headless session with a display that paints the page and records paint times.
// The test calls `globalThis.lumenSdk.run(...)`.
import { createLivenessSession, LumenError } from "@lumen/sdk";
import type { SdkRunInput, SdkRunOutput, SdkSessionPage } from "../sdk-run.ts";

function paintTime(): Promise<number> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      resolve(performance.timeOrigin + performance.now());
    });
  });
}

async function run(input: SdkRunInput): Promise<SdkRunOutput> {
  if (input.cameraFailure !== undefined) {
    const name = input.cameraFailure;
    navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException("simulated by the test", name));
  }
  const states: string[] = [];
  const hints: string[] = [];
  const qualityIssues: (string | null)[] = [];
  const steps: string[] = [];
  const colourPaints: { colour: string | null; at: number }[] = [];
  let framesReported = 0;
  let framesTracked = 0;
  let workersCreated = 0;
  let analysisWorker: Worker | null = null;
  const session = createLivenessSession({
    serverUrl: input.serverUrl,
    sessionId: input.sessionId,
    clientToken: input.clientToken,
    assets: {
      modelBaseUrl: input.modelBaseUrl,
      wasmBaseUrl: input.wasmBaseUrl,
      ...(input.tasksVisionBaseUrl === undefined
        ? {}
        : { tasksVisionBaseUrl: input.tasksVisionBaseUrl }),
    },
    createWorker: () => {
      workersCreated++;
      const url =
        input.workerFault === "throw" ? "/poisoned-analysis-worker.mjs" : "/analysis-worker.mjs";
      analysisWorker = new Worker(url, { type: "module", name: "lumen-analysis" });
      return analysisWorker;
    },
    // A killed worker is noticed by its silence: shorten the wait so the test stays quick.
    ...(input.workerFault === "terminate" ? { workerTimeouts: { frameMs: 3000 } } : {}),
    createTrackingWorker: () =>
      new Worker("/tracking-worker.mjs", { type: "module", name: "lumen-tracking" }),
    display: {
      async showColour(colour) {
        document.body.style.background = colour ?? "";
        const at = await paintTime();
        colourPaints.push({ colour, at });
        return at;
      },
    },
  });
  session.on("state", ({ state }) => states.push(state));
  session.on("hint", ({ hint }) => hints.push(hint));
  session.on("quality", ({ issue }) => qualityIssues.push(issue));
  session.on("step", ({ step }) =>
    steps.push(`${step.kind}:${step.kind === "flash" ? step.colour : step.direction}`),
  );
  session.on("frame", ({ tracked }) => {
    framesReported++;
    if (framesReported === 3 && input.workerFault === "throw") {
      analysisWorker?.postMessage({ lumenTestPoison: true });
    }
    if (framesReported === 3 && input.workerFault === "terminate") analysisWorker?.terminate();
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
    colourPaints,
    framesReported,
    framesTracked,
    workersCreated,
  };
}

const page: SdkSessionPage = { run };
(globalThis as unknown as { lumenSdk: SdkSessionPage }).lumenSdk = page;
