// A worker thread that makes one session's bare model calls on request: the four analysis
// models on onnxruntime-node with the server's session options, the recorded feeds, nothing
// else (no JPEG decoding, no pre-processing). Posts "ready", then "done" for each "run".
import { parentPort, workerData } from "node:worker_threads";
import { Tensor } from "onnxruntime-node";
import { getModelSpec, loadVerifiedModel } from "@lumen/core";
import { createFsModelSource, createOnnxSession } from "@lumen/server";
import { BARE_MODELS, type BareWorkerData } from "./bare-model-messages.ts";

const port = parentPort;
if (!port) throw new Error("bare-model-worker.ts must run in a worker thread");
const { modelDir, runs } = workerData as BareWorkerData;
const source = createFsModelSource(modelDir);
const sessions = await Promise.all(
  BARE_MODELS.map(async (id) =>
    createOnnxSession(await loadVerifiedModel(getModelSpec(id), source)),
  ),
);
const calls = runs.map(({ model, feeds }) => {
  const session = sessions[model];
  if (!session) throw new Error(`no model ${model}`);
  const tensors = Object.fromEntries(
    Object.entries(feeds).map(([name, { data, dims }]) => [
      name,
      new Tensor("float32", data, dims),
    ]),
  );
  return { session, tensors };
});

port.on("message", () => {
  void (async () => {
    for (const { session, tensors } of calls) await session.run(tensors);
    port.postMessage("done");
  })();
});
port.postMessage("ready");
