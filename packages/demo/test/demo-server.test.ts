import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PROTOCOL_LIMITS } from "@lumen/protocol";
import { startDemoServer, type DemoRequestLogEntry, type DemoServer } from "../server/index.ts";
import type { RpResult, RpSession } from "../src/rp-types.ts";
import {
  API_KEY,
  API_KEY_ID,
  startLumen,
  tinyJpeg,
  type LumenUnderTest,
} from "./support/lumen-under-test.ts";

let lumen: LumenUnderTest;
let demo: DemoServer;
let site: string;
const logs: DemoRequestLogEntry[] = [];
const extraServers: DemoServer[] = [];

beforeAll(async () => {
  lumen = await startLumen();
  site = mkdtempSync(join(tmpdir(), "lumen-demo-site-"));
  mkdirSync(join(site, "assets"));
  writeFileSync(join(site, "index.html"), "<!doctype html><title>demo</title>");
  writeFileSync(join(site, "assets/app-1234.js"), "export {};");
  writeFileSync(join(site, ".env"), "SECRET=1");
  demo = await startDemoServer({
    lumenUrl: lumen.url,
    apiKey: API_KEY,
    apiKeyId: API_KEY_ID,
    site: { kind: "static", dir: site },
    log: (entry) => logs.push(entry),
  });
});

afterAll(async () => {
  await demo.close();
  await lumen.close();
  rmSync(site, { recursive: true, force: true });
});

afterEach(async () => {
  lumen.rewriteVerdict = null;
  Object.assign(lumen.verdict, { decision: "pass", reasons: [] });
  await Promise.all(extraServers.splice(0).map((server) => server.close()));
});

function post(
  body: string,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  return fetch(`${demo.url}/rp/sessions`, { method: "POST", headers, body });
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

async function newSession(policy?: string): Promise<RpSession> {
  const res = await post(JSON.stringify(policy === undefined ? {} : { policy }));
  expect(res.status).toBe(201);
  return (await res.json()) as RpSession;
}

/** A request with its path sent as written (fetch would normalise `..`). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(demo.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("POST /rp/sessions", () => {
  it("creates a Lumen session and hands the browser what the SDK needs, never the key", async () => {
    const res = await post(JSON.stringify({ policy: "high" }));
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(text).not.toContain(API_KEY);
    const session = JSON.parse(text) as RpSession;
    expect(session.sessionId).toMatch(/^ses_[A-Za-z0-9_-]{22}$/);
    expect(session.serverUrl).toBe(lumen.url);
    expect(session.expiresAt).toBeGreaterThan(Date.now());
    expect(Object.keys(session).sort()).toEqual([
      "clientToken",
      "expiresAt",
      "serverUrl",
      "sessionId",
    ]);
    // The client token works on the Lumen server: the session is real.
    const started = await lumen.start(session.sessionId, session.clientToken);
    expect(started.challenge.flashes.length).toBeGreaterThan(0);
  });

  it("forwards the no-flash policy (the challenge has no flashes) and accepts an empty body", async () => {
    const noFlash = await newSession("no-flash");
    expect((await lumen.start(noFlash.sessionId, noFlash.clientToken)).challenge.flashes).toEqual(
      [],
    );
    const res = await post("", {});
    expect(res.status).toBe(201);
  });

  it.each([
    ["an unknown policy", JSON.stringify({ policy: "lenient" }), /policy/],
    [
      "an unknown field",
      JSON.stringify({ policy: "standard", reference: "x" }),
      /reference|Unrecognized/i,
    ],
    ["a non-object body", "[1]", /body/],
    ["invalid JSON", "{policy:", /not valid JSON/],
  ])("refuses %s with 400 REQUEST_INVALID", async (_, body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("REQUEST_INVALID");
    expect(error.message).toMatch(message);
  });

  it("refuses a body that is not application/json", async () => {
    const res = await post(JSON.stringify({}), { "content-type": "text/plain" });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/application\/json/);
  });

  it("refuses an oversize body with 413 PAYLOAD_TOO_LARGE", async () => {
    const res = await post(JSON.stringify({ policy: "standard", pad: "x".repeat(4096) }));
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("refuses other methods with 405", async () => {
    const res = await fetch(`${demo.url}/rp/sessions`);
    expect(res.status).toBe(405);
    expect((await errorOf(res)).code).toBe("METHOD_NOT_ALLOWED");
  });

  it("answers 502 without the key when the Lumen server refuses the key or is down", async () => {
    const wrongKey = await startDemoServer({
      lumenUrl: lumen.url,
      apiKey: "not-the-key-0123456789abcdef",
      site: { kind: "static", dir: site },
    });
    const down = await startDemoServer({
      lumenUrl: "http://127.0.0.1:9",
      apiKey: API_KEY,
      site: { kind: "static", dir: site },
    });
    extraServers.push(wrongKey, down);
    for (const server of [wrongKey, down]) {
      const res = await fetch(`${server.url}/rp/sessions`, { method: "POST" });
      expect(res.status).toBe(502);
      const text = await res.text();
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain("not-the-key");
      expect(JSON.parse(text)).toMatchObject({ error: { code: "UPSTREAM_FAILED" } });
    }
  });
});

describe("GET /rp/sessions/:id", () => {
  it("verifies the verdict against the JWKS and passes the analysis through", async () => {
    const session = await newSession();
    await lumen.complete(session.sessionId, session.clientToken);
    const res = await fetch(`${demo.url}/rp/sessions/${session.sessionId}`);
    expect(res.status).toBe(200);
    const result = (await res.json()) as RpResult;
    expect(result.verdictVerified).toBe(true);
    expect(result.verificationError).toBeNull();
    expect(result.verdict).toMatchObject({
      sub: session.sessionId,
      aud: API_KEY_ID,
      iss: lumen.url,
      decision: "pass",
    });
    expect(result.jwksUrl).toBe(`${lumen.url}/.well-known/jwks.json`);
    expect(result.session.decision).toBe("pass");
    expect(result.session.auditFrames).toEqual([0, 2]);
    const analysis = result.session.analysis;
    expect(analysis?.frames.length).toBeGreaterThan(2);
    expect(analysis?.frames[1]?.faces).toBe(2);
    expect(analysis?.thresholds.poseDegrees).toEqual({ yaw: 10, pitch: 7 });
  });

  it("reports a fail verdict as verified with its reasons", async () => {
    Object.assign(lumen.verdict, { decision: "fail", reasons: ["SPOOF_SUSPECTED"] });
    const session = await newSession();
    await lumen.complete(session.sessionId, session.clientToken);
    const result = (await (
      await fetch(`${demo.url}/rp/sessions/${session.sessionId}`)
    ).json()) as RpResult;
    expect(result.verdictVerified).toBe(true);
    expect(result.verdict?.reasons).toEqual(["SPOOF_SUSPECTED"]);
  });

  it("does not verify a tampered verdict", async () => {
    Object.assign(lumen.verdict, { decision: "fail", reasons: ["SPOOF_SUSPECTED"] });
    const session = await newSession();
    await lumen.complete(session.sessionId, session.clientToken);
    // A man in the middle upgrades the decision inside the signed payload.
    lumen.rewriteVerdict = (token) => {
      const [header = "", payload = "", signature = ""] = token.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<
        string,
        unknown
      >;
      claims.decision = "pass";
      claims.reasons = [];
      return [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(
        ".",
      );
    };
    const result = (await (
      await fetch(`${demo.url}/rp/sessions/${session.sessionId}`)
    ).json()) as RpResult;
    expect(result.verdictVerified).toBe(false);
    expect(result.verdict).toBeNull();
    expect(result.verificationError).toMatch(/signature verification failed/);
  });

  it("does not verify a verdict from another session or addressed to another key", async () => {
    const first = await newSession();
    const second = await newSession();
    await lumen.complete(first.sessionId, first.clientToken);
    await lumen.complete(second.sessionId, second.clientToken);
    const firstVerdict = (
      (await (await fetch(`${demo.url}/rp/sessions/${first.sessionId}`)).json()) as RpResult
    ).session.verdict;
    lumen.rewriteVerdict = () => firstVerdict ?? "";
    const swapped = (await (
      await fetch(`${demo.url}/rp/sessions/${second.sessionId}`)
    ).json()) as RpResult;
    expect(swapped.verdictVerified).toBe(false);
    expect(swapped.verificationError).toBe("The verdict is for another session");

    lumen.rewriteVerdict = null;
    const otherAudience = await startDemoServer({
      lumenUrl: lumen.url,
      apiKey: API_KEY,
      apiKeyId: "someone-else",
      site: { kind: "static", dir: site },
    });
    extraServers.push(otherAudience);
    const result = (await (
      await fetch(`${otherAudience.url}/rp/sessions/${first.sessionId}`)
    ).json()) as RpResult;
    expect(result.verdictVerified).toBe(false);
    expect(result.verificationError).toMatch(/"aud"/);
  });

  it("reports no verdict and no analysis before the session completes", async () => {
    const session = await newSession();
    const result = (await (
      await fetch(`${demo.url}/rp/sessions/${session.sessionId}`)
    ).json()) as RpResult;
    expect(result.session.status).toBe("created");
    expect(result).toMatchObject({
      verdict: null,
      verdictVerified: false,
      verificationError: null,
    });
    expect(result.session.analysis).toBeNull();
  });

  it.each(["ses_short", "ses_AAAAAAAAAAAAAAAAAAAAA%2F", "abc_AAAAAAAAAAAAAAAAAAAAAA"])(
    "refuses the malformed id %s with 400 before forwarding",
    async (id) => {
      const res = await fetch(`${demo.url}/rp/sessions/${id}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe("REQUEST_INVALID");
    },
  );

  it("answers 404 for a session the Lumen server does not know", async () => {
    const res = await fetch(`${demo.url}/rp/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA`);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("NOT_FOUND");
  });
});

describe("PUT /rp/sessions/:id/reference-image", () => {
  it("relays the Lumen server's refusal of an image with no usable face, and the session stays usable", async () => {
    const session = await newSession();
    const res = await fetch(
      `${demo.url}/rp/sessions/${session.sessionId}/reference-image?kind=document`,
      { method: "PUT", headers: { "content-type": "image/jpeg" }, body: tinyJpeg(1) },
    );
    expect(res.status).toBe(422);
    expect(await errorOf(res)).toEqual({
      code: "REFERENCE_UNUSABLE",
      message: "This fake verifier embeds no face",
    });
    await lumen.complete(session.sessionId, session.clientToken);
    const result = (await (
      await fetch(`${demo.url}/rp/sessions/${session.sessionId}`)
    ).json()) as RpResult;
    expect(result.verdictVerified).toBe(true);
    expect(result.session).toMatchObject({ referenceImage: null, match: null });
    expect(result.verdict?.match).toBeNull();
  });
});

describe("GET /rp/sessions/:id/frames/:n", () => {
  it("proxies an audit frame as an uncached JPEG, and 404s a frame that was not kept", async () => {
    const session = await newSession();
    const frames = await lumen.complete(session.sessionId, session.clientToken);
    const res = await fetch(`${demo.url}/rp/sessions/${session.sessionId}/frames/2`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(frames[2]);
    const missing = await fetch(`${demo.url}/rp/sessions/${session.sessionId}/frames/1`);
    expect(missing.status).toBe(404);
  });

  it("proxies audit frames at every index an upload can have, up to the protocol's last", async () => {
    const session = await newSession();
    const last = PROTOCOL_LIMITS.maxFrames - 1;
    lumen.auditFrames = [3, 17, 20, last];
    try {
      const frames = await lumen.complete(
        session.sessionId,
        session.clientToken,
        PROTOCOL_LIMITS.maxFrames,
      );
      for (const n of lumen.auditFrames) {
        const res = await fetch(`${demo.url}/rp/sessions/${session.sessionId}/frames/${n}`);
        expect(res.status, `frame ${n}`).toBe(200);
        expect(new Uint8Array(await res.arrayBuffer())).toEqual(frames[n]);
      }
    } finally {
      lumen.auditFrames = [0, 2];
    }
  });

  it.each(["abc", "-1", "01", "100", "1.5", String(PROTOCOL_LIMITS.maxFrames)])(
    "refuses the frame index %s with 400",
    async (n) => {
      const res = await fetch(`${demo.url}/rp/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA/frames/${n}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe("REQUEST_INVALID");
    },
  );

  it("answers 404 for unknown /rp routes", async () => {
    for (const path of ["/rp", "/rp/other", "/rp/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA/other"]) {
      const res = await fetch(`${demo.url}${path}`);
      expect(res.status, path).toBe(404);
    }
  });
});

describe("the page host", () => {
  it("serves the site and the SDK's runtime files with their types", async () => {
    const page = await fetch(`${demo.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("<title>demo</title>");
    const asset = await fetch(`${demo.url}/assets/app-1234.js`);
    expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(asset.headers.get("cache-control")).toMatch(/immutable/);
    const wasm = await fetch(`${demo.url}/ort/ort-wasm-simd-threaded.jsep.wasm`, {
      method: "HEAD",
    });
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    for (const path of [
      "/ort/ort-wasm-simd-threaded.jsep.mjs",
      "/models/manifest.json",
      "/models/face-detector.onnx",
      "/models/face-mesh.onnx",
    ]) {
      const res = await fetch(`${demo.url}${path}`, { method: "HEAD" });
      expect(res.status, path).toBe(200);
    }
    // What the SDK no longer loads is not served: MediaPipe's runtime and its model bundle.
    for (const path of [
      "/tasks-vision/vision_wasm_module_internal.wasm",
      "/models/face_landmarker.task",
    ]) {
      const res = await fetch(`${demo.url}${path}`, { method: "HEAD" });
      expect(res.status, path).toBe(404);
    }
  });

  it("sends COOP, COEP, CORP, the CSP and no-referrer on every response", async () => {
    const responses = await Promise.all([
      fetch(`${demo.url}/`),
      fetch(`${demo.url}/models/manifest.json`),
      fetch(`${demo.url}/rp/sessions/bad`),
      fetch(`${demo.url}/nope.js`),
      post(JSON.stringify({})),
    ]);
    for (const res of responses) {
      expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(res.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).toContain("worker-src 'self'");
      expect(csp).toContain(`connect-src 'self' ${lumen.url}`);
      expect(csp).toContain("img-src 'self' blob: data:");
      expect(csp).not.toContain("'unsafe-eval'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
  });

  it("answers 404 for files it does not serve", async () => {
    for (const path of [
      "/nope.html",
      "/.env",
      "/models/other.onnx",
      "/ort/ort.all.mjs",
      "/assets/x.exe",
    ]) {
      const res = await fetch(`${demo.url}${path}`);
      expect(res.status, path).toBe(404);
      expect((await errorOf(res)).code).toBe("NOT_FOUND");
    }
  });

  it.each([
    "/../package.json",
    "/assets/../../package.json",
    "/%2e%2e/package.json",
    "/assets/..%2f..%2fpackage.json",
    "/models/..%5c..%5cpackage.json",
    "/index.html%00.js",
  ])("refuses the traversal %s", async (path) => {
    const res = await rawGet(path);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain("@lumen/demo");
  });

  it("refuses writes to the site", async () => {
    const res = await fetch(`${demo.url}/index.html`, { method: "PUT", body: "x" });
    expect(res.status).toBe(405);
  });

  it("logs routes and codes only: never the key, tokens or ids", () => {
    const text = JSON.stringify(logs);
    expect(logs.some((entry) => entry.route === "/rp/sessions/:id" && entry.status === 200)).toBe(
      true,
    );
    expect(logs.some((entry) => entry.code === "REQUEST_INVALID")).toBe(true);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toMatch(/ses_[A-Za-z0-9_-]{22}|eyJ/);
  });
});

describe("startDemoServer options", () => {
  it.each([
    [{ lumenUrl: "not a url" }, /lumenUrl/],
    [{ lumenUrl: "ftp://127.0.0.1" }, /lumenUrl/],
    [{ apiKey: "" }, /apiKey/],
    [{ apiKey: "has space" }, /apiKey/],
    [{ port: 70_000 }, /port/],
    [{ apiKeyId: "bad id" }, /apiKeyId/],
    [{ site: { kind: "static", dir: "/no/such/dir" } }, /site\.dir/],
    [{ site: { kind: "cdn" } }, /site/],
  ])("throws a TypeError for %o", async (override, message) => {
    const options = {
      lumenUrl: lumen.url,
      apiKey: API_KEY,
      site: { kind: "static", dir: site },
      ...override,
    };
    await expect(startDemoServer(options as Parameters<typeof startDemoServer>[0])).rejects.toThrow(
      message,
    );
  });
});
