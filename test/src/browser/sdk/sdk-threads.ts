// Browser half of test/src/sdk-threads.test.ts (DOM types: its own tsconfig), bundled by esbuild
// when the test starts: the SDK's analysis worker on WASM over the given frames, with the
// threads it reports and whether the page is cross-origin isolated (the test serves it twice:
// with COOP/COEP, and without).
import { createAnalysisClient } from "@lumen/sdk";
import type {
  ThreadsFrameScores,
  ThreadsPage,
  ThreadsRunInput,
  ThreadsRunOutput,
} from "../sdk-threads-run.ts";

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
    const frames: ThreadsFrameScores[] = [];
    let analysisMs = 0;
    for (const url of input.frameUrls) {
      const bitmap = await createImageBitmap(await (await fetch(url)).blob());
      const pending = client.offer(bitmap, {
        evidence: false,
        maxPixels: 1280 * 1280,
        maxJpegBytes: 1 << 20,
      });
      if (!pending) throw new Error("the worker was busy");
      const result = await pending;
      analysisMs += result.analysisMs;
      frames.push({
        faces: result.faces,
        presence: result.face?.presence ?? null,
        liveness: result.face?.liveness ?? null,
        realness: result.face?.realness ?? null,
        points: result.face ? Array.from(result.face.points) : [],
      });
    }
    return {
      crossOriginIsolated: globalThis.crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
      executionProvider: ready.executionProvider,
      numThreads: ready.numThreads,
      frames,
      meanAnalysisMs: analysisMs / Math.max(1, frames.length),
    };
  } finally {
    client.terminate();
  }
}

const page: ThreadsPage = { run };
(globalThis as unknown as { lumenThreads: ThreadsPage }).lumenThreads = page;
