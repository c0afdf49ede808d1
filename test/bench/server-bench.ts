// The server's figures: result-token validation against bare `jose.jwtVerify`, the evidence
// re-check of one genuine session against the bare onnxruntime-node calls it makes, throughput
// with every core busy, and the process's peak RSS under that load.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from "jose";
import { Tensor, type InferenceSession } from "onnxruntime-node";
import {
  analyseFrame,
  bindOnnxFaceEmbeddingRunner,
  bindOnnxPassiveRunner,
  bindOnnxRunners,
  getModelSpec,
  isPassiveFrame,
  loadVerifiedModel,
  PASSIVE_MODELS,
  SERVER_PASSIVE_MODEL_IDS,
  type OnnxSessionLike,
} from "@lumen/core";
import { DevicePublicJwk, RESULT_TOKEN_TYPE } from "@lumen/protocol";
import {
  createFsModelSource,
  createOnnxFrameAnalyzer,
  createOnnxSession,
  createPooledEvidenceVerifier,
  decodeJpeg,
  verifyResultToken,
  type EvidenceInput,
} from "@lumen/server";
import {
  DECODE_LIMIT,
  evidenceInput,
  GENUINE_CHALLENGE,
  planEvidence,
  videoFrames,
} from "../../packages/server/test/support/genuine-evidence.ts";
import { MODEL_DIR } from "../src/harness/index.ts";
import { BARE_MODELS, type BareWorkerData } from "./lib/bare-model-messages.ts";
import { figure, interleave, median, progress, quantile, type Figure } from "./lib/figures.ts";

const T0 = 1_760_000_000_000;
const SESSION_ID = "ses_AAAAAAAAAAAAAAAAAAAAAA";
const BARE_WORKER_URL = new URL("./lib/bare-model-worker.mjs", import.meta.url);

/** How long each timed round of token validation loops. */
const TOKEN_ROUND_MS = 500;
const TOKEN_ROUNDS = 8;
const RECHECK_ROUNDS = 20;
/** How long each side of a throughput round keeps its workers busy. */
const LOAD_ROUND_MS = 8000;
const LOAD_ROUNDS = 3;
const RSS_SAMPLE_MS = 20;

/** One genuine session's evidence, as the HTTP layer hands it to the verifier. */
async function genuineEvidence(): Promise<EvidenceInput> {
  const analyzer = await createOnnxFrameAnalyzer({ modelDir: MODEL_DIR });
  try {
    const plan = planEvidence(
      await videoFrames(analyzer, "liveportrait-d3.mp4"),
      GENUINE_CHALLENGE,
      T0,
      {
        flashResponse: true,
      },
    );
    return await evidenceInput(analyzer, plan, T0);
  } finally {
    await analyzer.close();
  }
}

/** Operations per second of `op`, looped for `ms`. */
async function opsPerSecond(op: () => Promise<unknown>, ms: number): Promise<number> {
  let count = 0;
  const startedAt = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    await op();
    count++;
    elapsed = performance.now() - startedAt;
  }
  return (count * 1000) / elapsed;
}

async function benchTokens(evidence: EvidenceInput): Promise<Figure> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const { kty, crv, x, y } = await exportJWK(publicKey);
  const deviceKey = DevicePublicJwk.parse({ kty, crv, x, y });
  const token = await new SignJWT({ ...evidence.claims })
    .setProtectedHeader({ alg: "ES256", typ: RESULT_TOKEN_TYPE })
    .sign(privateKey);
  const nowMs = evidence.claims.iat * 1000;
  const options = { nowMs, clockToleranceSeconds: 5 };
  // The bare call: the key imported once, the same checks jose makes for the server.
  const bareKey = await importJWK(
    { kty: deviceKey.kty, crv: deviceKey.crv, x: deviceKey.x, y: deviceKey.y },
    "ES256",
  );
  const bareOptions = {
    algorithms: ["ES256"],
    typ: RESULT_TOKEN_TYPE,
    requiredClaims: ["iat", "exp"],
    currentDate: new Date(nowMs),
    clockTolerance: 5,
  };
  // The server must accept this token, or the figure would time a failure path.
  const claims = await verifyResultToken(token, deviceKey, options);
  if (claims.sid !== SESSION_ID) throw new Error("the token did not verify");
  progress(`token: ${token.length} chars, ${evidence.claims.frames.length} frame claims`);
  const rounds = await interleave(
    TOKEN_ROUNDS,
    1,
    () => opsPerSecond(() => verifyResultToken(token, deviceKey, options), TOKEN_ROUND_MS),
    () => opsPerSecond(() => jwtVerify(token, bareKey, bareOptions), TOKEN_ROUND_MS),
  );
  return figure(
    "server.token_validation",
    median(rounds.measured),
    "tokens/s",
    median(rounds.baseline),
  );
}

interface RecordedRun {
  readonly session: InferenceSession;
  readonly feeds: Record<string, Tensor>;
}

/**
 * The server's analysis sessions (one intra-op and one inter-op thread, as in a pool worker) and
 * the exact feeds the shared pipeline gives them on each of the session's frames.
 */
async function recordModelCalls(frames: readonly Uint8Array[]): Promise<{
  runs: RecordedRun[];
  sessions: InferenceSession[];
  /** The further passive models' sessions (`SERVER_PASSIVE_MODEL_IDS`). */
  passiveSessions: InferenceSession[];
  release: () => Promise<void>;
}> {
  const source = createFsModelSource(MODEL_DIR);
  const sessions = await Promise.all(
    BARE_MODELS.map(async (id) =>
      createOnnxSession(await loadVerifiedModel(getModelSpec(id), source)),
    ),
  );
  const runs: RecordedRun[] = [];
  const recording = (session: InferenceSession): OnnxSessionLike<Tensor> => ({
    run: (feeds) => {
      runs.push({ session, feeds });
      return session.run(feeds);
    },
  });
  const [detector, mesh, antiSpoof, deepfake, recognition, ...further] = sessions.map(recording);
  if (!detector || !mesh || !antiSpoof || !deepfake || !recognition) {
    throw new Error("a session is missing");
  }
  const tensor = (data: Float32Array, dims: readonly number[]): Tensor =>
    new Tensor("float32", data, dims);
  const runners = {
    ...bindOnnxRunners({ detector, mesh, antiSpoof, deepfake }, tensor),
    embed: bindOnnxFaceEmbeddingRunner(recognition, tensor),
  };
  // The further passive models on the frames the server's worker runs them on.
  const passive = SERVER_PASSIVE_MODEL_IDS.map((id, i) =>
    bindOnnxPassiveRunner(further[i] as OnnxSessionLike<Tensor>, PASSIVE_MODELS[id], tensor),
  );
  for (const [i, bytes] of frames.entries()) {
    const image = await decodeJpeg(bytes, DECODE_LIMIT);
    await analyseFrame(image, isPassiveFrame(i, frames.length) ? { ...runners, passive } : runners);
  }
  return {
    runs,
    sessions,
    passiveSessions: sessions.slice(sessions.length - SERVER_PASSIVE_MODEL_IDS.length),
    release: async () => {
      await Promise.all(sessions.map((session) => session.release()));
    },
  };
}

async function timed(op: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await op();
  return performance.now() - startedAt;
}

async function benchRecheck(
  evidence: EvidenceInput,
  runs: readonly RecordedRun[],
  passiveSessions: readonly InferenceSession[],
): Promise<Figure[]> {
  const verifier = createPooledEvidenceVerifier({
    modelDir: MODEL_DIR,
    workers: 1,
    maxQueue: 1,
    timeoutMs: 120_000,
  });
  try {
    const verdict = await verifier.verify(evidence);
    progress(
      `re-check verdict on the genuine evidence: ${verdict.decision} [${verdict.reasons.join(", ")}]`,
    );
    const bare = async () => {
      for (const { session, feeds } of runs) await session.run(feeds);
    };
    const rounds = await interleave(
      RECHECK_ROUNDS,
      1,
      () => timed(() => verifier.verify(evidence)),
      () => timed(bare),
    );
    // What the further passive models cost of a session's bare calls.
    const passiveRuns = runs.filter(({ session }) => passiveSessions.includes(session));
    const passiveRounds = await interleave(
      RECHECK_ROUNDS,
      1,
      () =>
        timed(async () => {
          for (const { session, feeds } of passiveRuns) await session.run(feeds);
        }),
      () => timed(bare),
    );
    return [
      figure(
        "server.passive_models_ms_per_session",
        median(passiveRounds.measured),
        "ms",
        median(passiveRounds.baseline),
      ),
      figure("server.recheck_latency_p50", median(rounds.measured), "ms", median(rounds.baseline)),
      figure(
        "server.recheck_latency_p95",
        quantile(rounds.measured, 0.95),
        "ms",
        quantile(rounds.baseline, 0.95),
      ),
    ];
  } finally {
    await verifier.close();
  }
}

/** `workers` threads that each make one session's bare model calls per request. */
async function startBarePool(
  workers: number,
  runs: readonly RecordedRun[],
  sessions: readonly InferenceSession[],
) {
  const data: BareWorkerData = {
    modelDir: MODEL_DIR,
    runs: runs.map(({ session, feeds }) => ({
      model: sessions.indexOf(session),
      feeds: Object.fromEntries(
        Object.entries(feeds).map(([name, tensor]) => [
          name,
          { data: tensor.data as Float32Array, dims: [...tensor.dims] },
        ]),
      ),
    })),
  };
  const pool = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<Worker>((resolve, reject) => {
          const worker = new Worker(BARE_WORKER_URL, { workerData: data });
          worker.once("error", reject);
          worker.once("message", () => {
            worker.off("error", reject);
            resolve(worker);
          });
        }),
    ),
  );
  return {
    /** One session's bare calls on worker `i`. */
    run: (i: number) =>
      new Promise<void>((resolve, reject) => {
        const worker = pool[i];
        if (!worker) throw new Error(`no bare worker ${i}`);
        const failed = (error: Error): void => {
          worker.off("message", done);
          reject(error);
        };
        const done = (): void => {
          worker.off("error", failed);
          resolve();
        };
        worker.once("message", done);
        worker.once("error", failed);
        worker.postMessage("run");
      }),
    close: async () => {
      await Promise.all(pool.map((worker) => worker.terminate()));
    },
  };
}

/**
 * Runs sessions through `lanes` concurrent lanes until `ms` have passed (each lane then ends
 * the session it has running); resolves with the sessions completed per second.
 */
async function throughput(
  ms: number,
  lanes: number,
  session: (lane: number) => Promise<unknown>,
): Promise<number> {
  let completed = 0;
  const startedAt = performance.now();
  const lane = async (index: number): Promise<void> => {
    while (performance.now() - startedAt < ms) {
      await session(index);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, index) => lane(index)));
  return (completed * 1000) / (performance.now() - startedAt);
}

/** Peak `process.memoryUsage().rss` (the process and all its worker threads) while `op` runs. */
async function peakRss<T>(op: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, RSS_SAMPLE_MS);
  try {
    const result = await op();
    return { result, peakMiB: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Sessions per second with `availableParallelism()` pooled workers and the queue kept full,
 * against as many threads making only the bare model calls, interleaved; and the peak RSS of
 * each side's phases.
 */
async function benchLoad(
  evidence: EvidenceInput,
  recorded: { runs: readonly RecordedRun[]; sessions: readonly InferenceSession[] },
): Promise<Figure[]> {
  const workers = availableParallelism();
  const pooled: number[] = [];
  const bare: number[] = [];
  let pooledPeak = 0;
  let barePeak = 0;
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    // Bare first: its first peak is measured before any verifier pool has ever run.
    const bareRound = await peakRss(async () => {
      const pool = await startBarePool(workers, recorded.runs, recorded.sessions);
      try {
        await Promise.all(Array.from({ length: workers }, (_, i) => pool.run(i))); // warm-up
        return await throughput(LOAD_ROUND_MS, workers, (lane) => pool.run(lane));
      } finally {
        await pool.close();
      }
    });
    bare.push(bareRound.result);
    barePeak = Math.max(barePeak, bareRound.peakMiB);
    const pooledRound = await peakRss(async () => {
      const verifier = createPooledEvidenceVerifier({
        modelDir: MODEL_DIR,
        workers,
        maxQueue: workers,
        timeoutMs: 120_000,
      });
      try {
        // Warm-up: every worker loads its models and runs one session.
        await Promise.all(Array.from({ length: workers }, () => verifier.verify(evidence)));
        // `workers` running and `workers` waiting: the queue never drains until the end.
        return await throughput(LOAD_ROUND_MS, 2 * workers, () => verifier.verify(evidence));
      } finally {
        await verifier.close();
      }
    });
    pooled.push(pooledRound.result);
    pooledPeak = Math.max(pooledPeak, pooledRound.peakMiB);
    progress(
      `load round ${round + 1}/${LOAD_ROUNDS} on ${workers} workers: pooled ${pooledRound.result.toFixed(2)} sessions/s (peak ${pooledRound.peakMiB.toFixed(0)} MiB), bare ${bareRound.result.toFixed(2)} (peak ${bareRound.peakMiB.toFixed(0)} MiB)`,
    );
  }
  return [
    figure("server.sessions_per_second", median(pooled), "sessions/s", median(bare)),
    figure("server.peak_rss", pooledPeak, "MiB", barePeak),
  ];
}

/**
 * Runs the server's figures.
 *
 * @example
 * ```ts
 * log.add(...(await benchServer()));
 * ```
 */
export async function benchServer(): Promise<Figure[]> {
  progress("server: building a genuine session's evidence from liveportrait-d3.mp4");
  const evidence = await genuineEvidence();
  progress(`server: ${evidence.frames.length} frames; token validation`);
  const figures = [await benchTokens(evidence)];
  progress("server: evidence re-check vs bare onnxruntime-node calls");
  const recorded = await recordModelCalls(evidence.frames);
  try {
    progress(`server: ${recorded.runs.length} model calls per session`);
    figures.push(...(await benchRecheck(evidence, recorded.runs, recorded.passiveSessions)));
    progress(`server: throughput with ${availableParallelism()} workers, queue full`);
    figures.push(...(await benchLoad(evidence, recorded)));
  } finally {
    await recorded.release();
  }
  return figures;
}
