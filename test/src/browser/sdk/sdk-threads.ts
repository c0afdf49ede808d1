// Browser half of test/src/sdk-threads.test.ts (DOM types: its own tsconfig), bundled by esbuild
// when the test starts: the SDK's analysis worker on WASM over the given frames, with the
// threads it reports and whether the page is cross-origin isolated (the test serves it twice:
// with COOP/COEP, and without).
import { analyseFrameUrls } from "./analyse-frame-urls.ts";
import { createAnalysisClient } from "@lumen/sdk";
import type { ThreadsPage, ThreadsRunInput, ThreadsRunOutput } from "../sdk-threads-run.ts";

async function run(input: ThreadsRunInput): Promise<ThreadsRunOutput> {
  const client = createAnalysisClient(
    new Worker("/analysis-worker.mjs", { type: "module", name: "lumen-analysis" }),
    { initMs: 120_000, frameMs: 60_000 },
  );
  try {
    const ready = await client.init({
      modelBaseUrl: input.modelBaseUrl,
      wasmBaseUrl: input.wasmBaseUrl,
      preferWebGpu: false,
    });
    const { frames, meanAnalysisMs } = await analyseFrameUrls(client, input.frameUrls);
    return {
      crossOriginIsolated: globalThis.crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
      executionProvider: ready.executionProvider,
      numThreads: ready.numThreads,
      frames,
      meanAnalysisMs,
    };
  } finally {
    client.terminate();
  }
}

const page: ThreadsPage = { run };
(globalThis as unknown as { lumenThreads: ThreadsPage }).lumenThreads = page;
