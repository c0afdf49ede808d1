// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChallengeDisplay } from "@lumen/sdk";
import { mountLiveness, watchLiveness, type LivenessOutcome } from "../src/liveness-step.ts";

const display: ChallengeDisplay = { showIllumination: () => Promise.resolve(0) };

let policies: unknown[];

function sessionFor(n: number) {
  return {
    sessionId: `ses_${String(n).padStart(22, "A")}`,
    clientToken: "token",
    expiresAt: 1_800_000_000_000 + n,
    serverUrl: "http://127.0.0.1:8787",
  };
}

beforeEach(() => {
  policies = [];
  document.body.replaceChildren();
  vi.stubGlobal(
    "fetch",
    vi.fn((url: string, init: RequestInit) => {
      expect(url).toBe("/rp/sessions");
      policies.push((JSON.parse(init.body as string) as { policy?: string }).policy);
      return Promise.resolve(Response.json(sessionFor(policies.length), { status: 201 }));
    }),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("watchLiveness", () => {
  it("creates each attempt's session when the element asks, no-flash once the user declined", async () => {
    const outcomes: LivenessOutcome[] = [];
    const { element, unmount } = watchLiveness(document.body, { policy: "high" }, (outcome) =>
      outcomes.push(outcome),
    );
    expect(element.isConnected).toBe(true);
    expect(element.hasAttribute("flash-policy")).toBe(false);
    const create = () => element.createSession?.(display, { virtualCamera: "refuse" });
    await create();
    element.dispatchEvent(new CustomEvent("lumen-result", { detail: { status: "fail" } }));
    element.dispatchEvent(new CustomEvent("lumen-no-flash"));
    expect(element.getAttribute("flash-policy")).toBe("no-flash");
    await create();
    element.dispatchEvent(new CustomEvent("lumen-error", { detail: { code: "CAMERA_DENIED" } }));
    expect(policies).toEqual(["high", "no-flash"]);
    expect(outcomes).toEqual([
      {
        session: sessionFor(1),
        outcome: "result",
        errorCode: null,
        policy: "high",
        evidence: null,
      },
      {
        session: sessionFor(2),
        outcome: "error",
        errorCode: "CAMERA_DENIED",
        policy: "no-flash",
        evidence: null,
      },
    ]);
    unmount();
    expect(element.isConnected).toBe(false);
  });

  it("attaches the reference image to the attempt's new session before the SDK starts on it", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn((url: string, init: RequestInit) => {
        calls.push({ url, init });
        return Promise.resolve(
          url === "/rp/sessions"
            ? Response.json(sessionFor(1), { status: 201 })
            : Response.json({
                sessionId: sessionFor(1).sessionId,
                referenceImage: { kind: "portrait", attachedAt: 1 },
              }),
        );
      }),
    );
    const image = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: "image/jpeg" });
    const outcomes: LivenessOutcome[] = [];
    const { element } = watchLiveness(
      document.body,
      { policy: "standard", reference: { image, kind: "portrait" } },
      (outcome) => outcomes.push(outcome),
    );
    await element.createSession?.(display, { virtualCamera: "refuse" });
    expect(calls.map(({ url, init }) => [init.method, url])).toEqual([
      ["POST", "/rp/sessions"],
      ["PUT", `/rp/sessions/${sessionFor(1).sessionId}/reference-image?kind=portrait`],
    ]);
    expect(new Headers(calls[1]?.init.headers).get("content-type")).toBe("image/jpeg");
    expect(calls[1]?.init.body).toBe(image);
    element.dispatchEvent(new CustomEvent("lumen-result", { detail: { status: "pass" } }));
    expect(outcomes.map((outcome) => outcome.session)).toEqual([sessionFor(1)]);
  });

  it("ends the attempt through onError with the server's refusal of the reference image", async () => {
    vi.stubGlobal("fetch", (url: string) =>
      Promise.resolve(
        url === "/rp/sessions"
          ? Response.json(sessionFor(1), { status: 201 })
          : Response.json(
              { error: { code: "REFERENCE_UNUSABLE", message: "The image shows no face." } },
              { status: 422 },
            ),
      ),
    );
    const outcomes: LivenessOutcome[] = [];
    const errors: unknown[] = [];
    const image = new Blob([new Uint8Array([1])], { type: "image/png" });
    const { element } = watchLiveness(
      document.body,
      { policy: "standard", reference: { image, kind: "document" } },
      (outcome) => outcomes.push(outcome),
      (error) => errors.push(error),
    );
    await expect(element.createSession?.(display, { virtualCamera: "refuse" })).rejects.toThrow(
      "The image shows no face.",
    );
    element.dispatchEvent(new CustomEvent("lumen-error", { detail: { code: "NETWORK_FAILED" } }));
    expect(outcomes).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({
        code: "REFERENCE_UNUSABLE",
        status: 422,
        message: "The image shows no face.",
      }),
    ]);
  });

  it("starts without the warning under a no-flash policy", () => {
    const { element } = watchLiveness(document.body, { policy: "no-flash" }, () => undefined);
    expect(element.getAttribute("flash-policy")).toBe("no-flash");
  });
});

describe("mountLiveness", () => {
  it("resolves with the first attempt's outcome", async () => {
    const settled = mountLiveness(document.body, { policy: "standard" });
    const element = document.querySelector("lumen-liveness");
    await element?.createSession?.(display, { virtualCamera: "report" });
    element?.dispatchEvent(new CustomEvent("lumen-result", { detail: { status: "pass" } }));
    await expect(settled).resolves.toEqual({
      session: sessionFor(1),
      outcome: "result",
      errorCode: null,
      policy: "standard",
      evidence: null,
    });
  });

  it("rejects when the demo backend cannot create the session", async () => {
    vi.stubGlobal("fetch", () =>
      Promise.resolve(
        Response.json({ error: { code: "UPSTREAM_FAILED", message: "down" } }, { status: 502 }),
      ),
    );
    const settled = mountLiveness(document.body, { policy: "standard" });
    const element = document.querySelector("lumen-liveness");
    await expect(element?.createSession?.(display, { virtualCamera: "refuse" })).rejects.toThrow(
      "down",
    );
    element?.dispatchEvent(new CustomEvent("lumen-error", { detail: { code: "UPSTREAM_FAILED" } }));
    await expect(settled).rejects.toMatchObject({ code: "UPSTREAM_FAILED", status: 502 });
  });
});
