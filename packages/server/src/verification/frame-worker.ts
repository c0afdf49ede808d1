// Runs inside a worker thread (started through frame-worker-bootstrap.mjs): decodes frames (the
// next one while the current one is analysed), runs the ONNX pipeline, and posts back numbers
// only, so inference never blocks the HTTP loop; embeds reference images' faces the same way.
import { parentPort, workerData } from "node:worker_threads";
import { isPassiveFrame, summariseFrame, type FrameEvidence, type RgbaImage } from "@lumen/core";
import { LumenError } from "@lumen/protocol";
import { decodeJpeg } from "../frames/decode-jpeg.ts";
import { createOnnxFrameAnalyzer, shippedPassiveModels } from "./onnx-frame-analyzer.ts";
import type {
  FrameJob,
  FrameWorkerData,
  FrameWorkerMessage,
  WorkerJob,
} from "./frame-worker-messages.ts";

const port = parentPort;
if (!port) throw new Error("frame-worker.ts must run in a worker thread");
const { modelDir, operatorModels } = workerData as FrameWorkerData;
// A model that fails to load (or its pin check) throws here, the worker exits with an error,
// and the pool fails the jobs closed.
const analyzer = await createOnnxFrameAnalyzer({
  modelDir,
  passiveModels: [...shippedPassiveModels(modelDir), ...operatorModels],
});

async function run(job: FrameJob): Promise<FrameEvidence[]> {
  const decode = (i: number): Promise<RgbaImage> => {
    const bytes = job.frames[i];
    if (!bytes) return Promise.reject(new LumenError("INFERENCE_FAILED", "A frame is missing"));
    const decoding = decodeJpeg(bytes, { maxPixels: job.maxPixels });
    // Awaited in its turn; until then a refusal must not count as unhandled.
    decoding.catch(() => undefined);
    return decoding;
  };
  const evidence: FrameEvidence[] = [];
  // The next frame decodes on libuv's pool while this one is analysed.
  let next = decode(0);
  for (let i = 0; i < job.frames.length; i++) {
    const capturedAt = job.capturedAt[i];
    if (capturedAt === undefined) {
      throw new LumenError("INFERENCE_FAILED", "A frame has no capture time");
    }
    const image = await next;
    if (i + 1 < job.frames.length) next = decode(i + 1);
    const passive = isPassiveFrame(i, job.frames.length);
    evidence.push(summariseFrame(image, await analyzer.analyse(image, { passive }), capturedAt));
  }
  return evidence;
}

async function answer(job: WorkerJob): Promise<FrameWorkerMessage> {
  if (job.type === "reference") {
    return {
      type: "embedded",
      id: job.id,
      embedding: await analyzer.embedReference(job.image, job.kind),
    };
  }
  return { type: "done", id: job.id, evidence: await run(job) };
}

port.on("message", (job: WorkerJob) => {
  answer(job).then(
    (message) => {
      port.postMessage(message);
    },
    (err: unknown) => {
      const failed: FrameWorkerMessage = {
        type: "failed",
        id: job.id,
        code: err instanceof LumenError ? err.code : "INFERENCE_FAILED",
        message: err instanceof Error ? err.message : "The frame analysis failed",
      };
      port.postMessage(failed);
    },
  );
});
port.postMessage({ type: "ready" } satisfies FrameWorkerMessage);
