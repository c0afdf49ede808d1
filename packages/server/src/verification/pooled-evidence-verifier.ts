import { Worker } from "node:worker_threads";
import { assessEvidence, type FrameEvidence, type RgbaImage } from "@lumen/core";
import { LumenError, PROTOCOL_LIMITS, type ReferenceKind } from "@lumen/protocol";
import type { EvidenceInput, EvidenceVerdict, EvidenceVerifier } from "./evidence-verifier.ts";
import type { FrameWorkerData, FrameWorkerMessage, WorkerJob } from "./frame-worker-messages.ts";
import { operatorPassiveFusion, type OperatorPassiveModel } from "./operator-passive-model.ts";

/** Options of {@link createPooledEvidenceVerifier}. */
export interface PooledEvidenceVerifierOptions {
  /** Folder holding the files `pnpm models` builds (`models/dist/`). */
  readonly modelDir: string;
  /** Worker threads, each with its own copy of the models (about 60 MB each). */
  readonly workers: number;
  /** Verifications allowed to wait for a free worker; one more is refused with `BUSY`. */
  readonly maxQueue: number;
  /** Longest one verification may run in a worker before it is killed and failed. */
  readonly timeoutMs: number;
  /** Largest decoded frame, width × height; `PROTOCOL_LIMITS.maxFramePixels` by default. */
  readonly maxFramePixels?: number;
  /**
   * The operator's own passive models (`loadPassiveModelDeclarations`): every worker runs them
   * after the shipped ones, and the decision's passive fusion gains their terms.
   */
  readonly operatorModels?: readonly OperatorPassiveModel[];
  /** Test seam: starts one worker. Defaults to the frame worker. */
  readonly createWorker?: (data: FrameWorkerData) => Worker;
}

/** After this many workers in a row die before becoming ready, the pool stops respawning. */
const MAX_START_FAILURES = 3;

const WORKER_URL = new URL("./frame-worker-bootstrap.mjs", import.meta.url);

interface Job {
  readonly message: WorkerJob;
  readonly resolve: (answer: FrameWorkerMessage) => void;
  readonly reject: (err: LumenError) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: ReturnType<typeof setTimeout> | null;
}

function positiveInteger(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer ≥ ${min}, got ${value}`);
  }
}

/**
 * An {@link EvidenceVerifier} on a bounded pool of `worker_threads`: each worker decodes the
 * frames (with pixel limits), runs the ONNX pipeline and returns per-frame numbers, never
 * pixels; the challenge evaluation and the decision (`assessEvidence`) then run on the caller's
 * thread, which takes well under a millisecond. Reference images' faces are embedded by the
 * same workers, under the same bounds.
 *
 * Fails closed: when all workers are busy and `maxQueue` jobs wait, `verify` rejects with
 * `LumenError("BUSY")`; a worker that crashes or overruns `timeoutMs` is terminated and
 * replaced, and its job rejects with `LumenError("INFERENCE_FAILED")`, never a verdict.
 *
 * @example
 * ```ts
 * const verifier = createPooledEvidenceVerifier({ modelDir, workers: 2, maxQueue: 8, timeoutMs: 20_000 });
 * const { decision, reasons } = await verifier.verify(input);
 * ```
 */
export function createPooledEvidenceVerifier(
  options: PooledEvidenceVerifierOptions,
): EvidenceVerifier {
  positiveInteger(options.workers, "workers", 1);
  positiveInteger(options.maxQueue, "maxQueue", 0);
  if (!(options.timeoutMs > 0)) throw new TypeError("timeoutMs must be positive");
  const maxPixels = options.maxFramePixels ?? PROTOCOL_LIMITS.maxFramePixels;
  const operatorModels = options.operatorModels ?? [];
  const passiveFusion = operatorPassiveFusion(operatorModels);
  const workerData: FrameWorkerData = { modelDir: options.modelDir, operatorModels };
  const start =
    options.createWorker ??
    ((data: FrameWorkerData) => new Worker(WORKER_URL, { workerData: data }));

  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let startFailures = 0;
  let closed = false;

  const failAll = (message: string): void => {
    for (const job of queue.splice(0)) job.reject(new LumenError("INFERENCE_FAILED", message));
  };

  const spawn = (): Slot => {
    const slot: Slot = {
      worker: start(workerData),
      ready: false,
      job: null,
      timer: null,
    };
    slot.worker.on("message", (message: FrameWorkerMessage) => {
      if (message.type === "ready") {
        slot.ready = true;
        startFailures = 0;
        dispatch();
        return;
      }
      const job = slot.job;
      if (!job || job.message.id !== message.id) return;
      finish(slot);
      if (message.type === "failed") job.reject(new LumenError(message.code, message.message));
      else job.resolve(message);
      dispatch();
    });
    // An uncaught error is followed by "exit"; handling it there keeps one code path.
    slot.worker.on("error", () => undefined);
    slot.worker.on("exit", () => {
      replace(slot, "The inference worker stopped");
    });
    return slot;
  };

  const finish = (slot: Slot): void => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  };

  const replace = (slot: Slot, message: string): void => {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    const job = slot.job;
    finish(slot);
    slots.splice(index, 1);
    if (job) job.reject(new LumenError("INFERENCE_FAILED", message));
    if (!slot.ready) startFailures++;
    if (closed) return;
    if (startFailures >= MAX_START_FAILURES) {
      failAll("The inference workers cannot start");
      return;
    }
    slots.push(spawn());
  };

  const dispatch = (): void => {
    for (const slot of slots) {
      if (!slot.ready || slot.job) continue;
      const job = queue.shift();
      if (!job) return;
      slot.job = job;
      slot.timer = setTimeout(() => {
        // terminate() fires "exit", which rejects the job and starts a replacement.
        void slot.worker.terminate();
        replace(slot, `The inference worker overran ${options.timeoutMs} ms`);
      }, options.timeoutMs);
      slot.worker.postMessage(job.message);
    }
  };

  for (let i = 0; i < options.workers; i++) slots.push(spawn());

  const submit = (message: WorkerJob): Promise<FrameWorkerMessage> =>
    new Promise((resolve, reject) => {
      if (closed) throw new LumenError("INFERENCE_FAILED", "The verifier is closed");
      if (startFailures >= MAX_START_FAILURES) {
        throw new LumenError("INFERENCE_FAILED", "The inference workers cannot start");
      }
      // A worker still loading its models counts as free: it takes the job once ready.
      const free = slots.filter((slot) => !slot.job).length;
      if (queue.length >= free + options.maxQueue) {
        throw new LumenError("BUSY", "Every inference worker is busy");
      }
      queue.push({ message, resolve, reject });
      dispatch();
    });

  const analyse = async (input: EvidenceInput): Promise<readonly FrameEvidence[]> => {
    const answer = await submit({
      type: "frames",
      id: nextId++,
      frames: input.frames,
      capturedAt: input.claims.frames.map((frame) => frame.capturedAt),
      maxPixels,
    });
    if (answer.type !== "done") throw new LumenError("INFERENCE_FAILED", "Unexpected answer");
    return answer.evidence;
  };

  return {
    async verify(input) {
      if (input.frames.length !== input.claims.frames.length) {
        throw new LumenError("INFERENCE_FAILED", "Frames and frame claims differ in number");
      }
      const frames = await analyse(input);
      const result = assessEvidence({
        policy: input.policy,
        challenge: input.challenge,
        claims: input.claims,
        capture: input.capture,
        frames,
        reference: input.reference,
        passiveFusion,
      });
      const verdict: EvidenceVerdict = {
        decision: result.decision,
        reasons: result.reasons,
        scores: result.scores,
        auditFrames: result.auditFrames,
        analysis: result.analysis,
        match: result.match,
      };
      return verdict;
    },
    async embedReference(image: RgbaImage, kind: ReferenceKind) {
      const answer = await submit({ type: "reference", id: nextId++, image, kind });
      if (answer.type !== "embedded") {
        throw new LumenError("INFERENCE_FAILED", "Unexpected answer");
      }
      return answer.embedding;
    },
    async close() {
      closed = true;
      failAll("The verifier is closed");
      await Promise.all(slots.splice(0).map((slot) => slot.worker.terminate()));
    },
  };
}
