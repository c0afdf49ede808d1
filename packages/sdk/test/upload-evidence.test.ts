import { LumenError } from "@lumen/protocol";
import { describe, expect, it } from "vitest";
import { uploadEvidence } from "../src/evidence/upload-evidence.ts";
import type { ServerTarget } from "../src/evidence/start-remote-session.ts";

const TOKEN = "header.claims.signature";
const FRAMES = [new Uint8Array([0xff, 0xd8, 1, 2, 3]), new Uint8Array([0xff, 0xd8, 4, 5])];
const PASS = { status: "pass", retryAllowed: false };

type Step = Error | Response;

interface SentBody {
  readonly url: string;
  readonly token: FormDataEntryValue | null;
  readonly frames: number[][];
  readonly names: string[];
}

/** A `fetch` that plays `steps` in order (throwing errors, returning responses) and records bodies. */
function scriptedFetch(steps: readonly Step[]) {
  const sent: Promise<SentBody>[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  let call = 0;
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const form = init?.body as FormData;
    signals.push(init?.signal ?? undefined);
    sent.push(
      (async () => {
        const names = [...form.keys()];
        const frames = await Promise.all(
          names
            .filter((name) => name.startsWith("frame"))
            .map(async (name) => [...new Uint8Array(await (form.get(name) as Blob).arrayBuffer())]),
        );
        return {
          url: input instanceof Request ? input.url : input.toString(),
          token: form.get("token"),
          frames,
          names,
        };
      })(),
    );
    const step = steps[Math.min(call++, steps.length - 1)];
    if (step === undefined) throw new Error("no step scripted");
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step.clone());
  };
  return { fetch, sent, signals, calls: () => call };
}

const target = (fetch: typeof globalThis.fetch): ServerTarget => ({
  serverUrl: new URL("https://kyc.example.com/"),
  sessionId: "ses_AAAAAAAAAAAAAAAAAAAAAA",
  fetch,
});

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const errorBody = (code: string) => ({ error: { code, message: code } });

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: (ms: number) => (waits.push(ms), Promise.resolve()) };
}

describe("uploadEvidence", () => {
  it("retries network TypeErrors and sends the same body each time", async () => {
    const server = scriptedFetch([
      new TypeError("Failed to fetch"),
      new TypeError("Failed to fetch"),
      json(200, PASS),
    ]);
    const { waits, sleep } = recordingSleep();
    const result = await uploadEvidence(target(server.fetch), TOKEN, FRAMES, {
      attempts: 3,
      sleep,
    });
    expect(result).toEqual(PASS);
    expect(server.calls()).toBe(3);
    expect(waits).toEqual([500, 1000]);
    const bodies = await Promise.all(server.sent);
    expect(bodies[0]).toEqual({
      url: "https://kyc.example.com/v1/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA/evidence",
      token: TOKEN,
      frames: FRAMES.map((frame) => [...frame]),
      names: ["token", "frame0", "frame1"],
    });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it("does not retry a 4xx", async () => {
    const server = scriptedFetch([json(409, errorBody("REPLAYED")), json(200, PASS)]);
    const { waits, sleep } = recordingSleep();
    const error = await uploadEvidence(target(server.fetch), TOKEN, FRAMES, {
      attempts: 5,
      sleep,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LumenError);
    expect((error as LumenError).code).toBe("REPLAYED");
    expect(server.calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it("retries BUSY (503) like a network error", async () => {
    const server = scriptedFetch([json(503, errorBody("BUSY")), json(200, PASS)]);
    const { waits, sleep } = recordingSleep();
    const result = await uploadEvidence(target(server.fetch), TOKEN, FRAMES, {
      attempts: 3,
      sleep,
    });
    expect(result).toEqual(PASS);
    expect(server.calls()).toBe(2);
    expect(waits).toEqual([500]);
  });

  it("gives up with NETWORK_FAILED after the configured attempts", async () => {
    const server = scriptedFetch([new TypeError("Failed to fetch")]);
    const { waits, sleep } = recordingSleep();
    const error = await uploadEvidence(target(server.fetch), TOKEN, FRAMES, {
      attempts: 4,
      sleep,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LumenError);
    expect((error as LumenError).code).toBe("NETWORK_FAILED");
    expect((error as LumenError).cause).toBeInstanceOf(TypeError);
    expect(server.calls()).toBe(4);
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it("cancels on abort: no further attempt, the request gets the signal", async () => {
    const abort = new AbortController();
    const server = scriptedFetch([new TypeError("Failed to fetch"), json(200, PASS)]);
    const sleep = (): Promise<void> => {
      abort.abort();
      return Promise.resolve();
    };
    const error = await uploadEvidence(target(server.fetch), TOKEN, FRAMES, {
      attempts: 3,
      sleep,
      signal: abort.signal,
    }).catch((e: unknown) => e);
    expect((error as LumenError).code).toBe("CANCELLED");
    expect(server.calls()).toBe(1);
    expect(server.signals[0]).toBe(abort.signal);
  });

  it("turns an aborted in-flight request into CANCELLED, not a retry", async () => {
    const abort = new AbortController();
    let calls = 0;
    const fetch = ((_: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => {
          reject(new DOMException("aborted", "AbortError"));
        });
      });
    }) as typeof globalThis.fetch;
    const pending = uploadEvidence(target(fetch), TOKEN, FRAMES, {
      attempts: 3,
      sleep: () => Promise.resolve(),
      signal: abort.signal,
    });
    abort.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as LumenError).code).toBe("CANCELLED");
    expect(calls).toBe(1);
  });

  it("does not start when already aborted", async () => {
    const server = scriptedFetch([json(200, PASS)]);
    const error = await uploadEvidence(target(server.fetch), TOKEN, FRAMES, {
      attempts: 3,
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect((error as LumenError).code).toBe("CANCELLED");
    expect(server.calls()).toBe(0);
  });
});
