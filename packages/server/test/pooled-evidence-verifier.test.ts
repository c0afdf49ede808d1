import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { LumenError, type Challenge } from "@lumen/protocol";
import type { EvidenceInput } from "../src/verification/evidence-verifier.ts";
import { createPooledEvidenceVerifier } from "../src/verification/pooled-evidence-verifier.ts";

const fake = new URL("./fixtures/fake-frame-worker.mjs", import.meta.url);
const challenge: Challenge = {
  flashes: [],
  poses: [],
  oval: { centerX: 0.5, centerY: 0.5, width: 0.5, height: 0.5 },
};

// The fake worker reads the first capture time: 1 crashes, 2 hangs, anything else answers.
function input(firstCapturedAt: number): EvidenceInput {
  const frame = {
    capturedAt: firstCapturedAt,
    sha256: "0".repeat(64),
    width: 8,
    height: 8,
    scores: null,
  };
  return {
    sessionId: "ses_AAAAAAAAAAAAAAAAAAAAAA",
    policy: "no-flash",
    challenge,
    startedAt: 0,
    deadline: 1,
    capture: { cameraLabel: "", userAgent: "", trackSettings: {}, customSource: false },
    claims: {
      sid: "ses_AAAAAAAAAAAAAAAAAAAAAA",
      nonce: "n0nce-n0nce-n0nce",
      iat: 0,
      exp: 1,
      frames: [frame],
      flashesShownAt: [],
      posesShownAt: [],
      models: "0".repeat(64),
      signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: null },
    },
    frames: [new Uint8Array(4)],
    reference: null,
  };
}

function pool(timeoutMs = 5000, maxQueue = 0) {
  return createPooledEvidenceVerifier({
    modelDir: "unused",
    workers: 1,
    maxQueue,
    timeoutMs,
    createWorker: (data) => new Worker(fake, { workerData: data }),
  });
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (err) {
    return err instanceof LumenError ? err.code : "not a LumenError";
  }
}

describe("createPooledEvidenceVerifier", () => {
  it("refuses invalid options when created", () => {
    expect(() =>
      createPooledEvidenceVerifier({ modelDir: "x", workers: 0, maxQueue: 0, timeoutMs: 1 }),
    ).toThrow(TypeError);
  });

  it("serves a job and fails closed on what the worker found (no face)", async () => {
    const verifier = pool();
    const verdict = await verifier.verify(input(10));
    expect(verdict.decision).toBe("fail");
    expect(verdict.reasons).toContain("NO_FACE");
    await verifier.close();
  });

  it("answers BUSY when every worker is busy and the queue is full", async () => {
    const verifier = pool(2000, 1);
    const hanging = code(verifier.verify(input(2)));
    const queued = code(verifier.verify(input(10)));
    expect(await code(verifier.verify(input(10)))).toBe("BUSY");
    expect(await hanging).toBe("INFERENCE_FAILED");
    // The queued job runs on the replacement worker once the hung one is killed.
    expect(await queued).toBe("resolved");
    await verifier.close();
  });

  it("fails a crashed worker's job with INFERENCE_FAILED and keeps serving", async () => {
    const verifier = pool();
    expect(await code(verifier.verify(input(1)))).toBe("INFERENCE_FAILED");
    expect(await code(verifier.verify(input(10)))).toBe("resolved");
    await verifier.close();
  });

  it("fails a job that overruns the timeout with INFERENCE_FAILED and keeps serving", async () => {
    const verifier = pool(300);
    expect(await code(verifier.verify(input(2)))).toBe("INFERENCE_FAILED");
    expect(await code(verifier.verify(input(10)))).toBe("resolved");
    await verifier.close();
  });

  it("embeds a reference image's face in a worker and passes its refusal on", async () => {
    const verifier = pool();
    const image = { width: 2, height: 2, data: new Uint8Array(16) };
    const embedding = await verifier.embedReference(image, "document");
    expect(embedding).toHaveLength(128);
    expect(embedding[0]).toBeCloseTo(0.2, 6);
    expect(
      await code(
        verifier.embedReference({ ...image, width: 1, data: new Uint8Array(8) }, "portrait"),
      ),
    ).toBe("REFERENCE_UNUSABLE");
    // The worker survives a refusal and keeps serving both kinds of job.
    expect(await code(verifier.verify(input(10)))).toBe("resolved");
    await verifier.close();
  });

  it("rejects work after close", async () => {
    const verifier = pool();
    await verifier.close();
    expect(await code(verifier.verify(input(10)))).toBe("INFERENCE_FAILED");
    const image = { width: 2, height: 2, data: new Uint8Array(16) };
    expect(await code(verifier.embedReference(image, "portrait"))).toBe("INFERENCE_FAILED");
  });
});
