// Browser half of test/src/sdk-session.test.ts (DOM types: its own tsconfig), bundled by esbuild when the test starts: drives
// @lumen/sdk's headless session with a display that paints the page and records paint times.
// The test calls `globalThis.lumenSdk.run(...)`.
import { createLivenessSession, illuminationBackground } from "@lumen/sdk";
import type { SdkRunInput, SdkRunOutput, SdkSessionPage } from "../sdk-run.ts";
import { paintTime, recordSession, sessionAssets } from "./record-session.ts";

async function run(input: SdkRunInput): Promise<SdkRunOutput> {
  if (input.cameraFailure !== undefined) {
    const name = input.cameraFailure;
    navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException("simulated by the test", name));
  }
  const colourPaints: { colour: string | null; at: number }[] = [];
  let framesReported = 0;
  let workersCreated = 0;
  let analysisWorker: Worker | null = null;
  const session = createLivenessSession({
    serverUrl: input.serverUrl,
    sessionId: input.sessionId,
    clientToken: input.clientToken,
    assets: sessionAssets(input),
    createWorker: () => {
      workersCreated++;
      const url =
        input.workerFault === "throw" ? "/poisoned-analysis-worker.mjs" : "/analysis-worker.mjs";
      analysisWorker = new Worker(url, { type: "module", name: "lumen-analysis" });
      return analysisWorker;
    },
    // A killed worker is noticed by its silence: shorten the wait so the test stays quick.
    ...(input.workerFault === "terminate" ? { workerTimeouts: { frameMs: 3000 } } : {}),
    display: {
      async showIllumination(light) {
        const colour = light === null ? null : illuminationBackground(light);
        document.body.style.background = colour ?? "";
        const at = await paintTime();
        colourPaints.push({ colour, at });
        return at;
      },
    },
  });
  session.on("frame", () => {
    framesReported++;
    if (framesReported === 3 && input.workerFault === "throw") {
      analysisWorker?.postMessage({ lumenTestPoison: true });
    }
    if (framesReported === 3 && input.workerFault === "terminate") analysisWorker?.terminate();
  });
  return { ...(await recordSession(session)), colourPaints, workersCreated };
}

const page: SdkSessionPage = { run };
(globalThis as unknown as { lumenSdk: SdkSessionPage }).lumenSdk = page;
