import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  PROTOCOL_LIMITS,
  VERDICT_TOKEN_TYPE,
  type AttachReferenceResponse,
  type FaceMatch,
  type SessionResult,
  type VerdictClaims,
} from "@lumen/protocol";
import { startDemoServer, type DemoRequestLogEntry, type DemoServer } from "../server/index.ts";
import type { RpResult } from "../src/rp-types.ts";

const API_KEY = "bank-secret-0123456789abcdef-reference";
const API_KEY_ID = "bank";
const SESSION_ID = "ses_ReferenceSession000001";
const ATTACHED_AT = 1_750_000_000_000;
/** Not a real image: the demo forwards bytes as they are and leaves decoding to the server. */
const IMAGE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const MATCH: FaceMatch = { similarity: 0.71, threshold: 0.46, fmr: 0.01, decision: "match" };

/** What the fake Lumen server received. */
interface Received {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/** How the fake Lumen server answers a reference image: 200 with the attachment by default. */
type Answer = (received: Received) => { status: number; body: unknown };

const attached = (received: Received): { status: number; body: AttachReferenceResponse } => ({
  status: 200,
  body: {
    sessionId: SESSION_ID,
    referenceImage: {
      kind:
        new URL(received.url, "http://x").searchParams.get("kind") === "portrait"
          ? "portrait"
          : "document",
      attachedAt: ATTACHED_AT,
    },
  },
});

let upstream: Server;
let upstreamUrl: string;
let received: Received[];
let answer: Answer;
let sessionResult: (verdict: string) => SessionResult;
let sign: (claims: VerdictClaims) => Promise<string>;
let demo: DemoServer;
let site: string;
const logs: DemoRequestLogEntry[] = [];

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  sign = (claims) =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "ES256", typ: VERDICT_TOKEN_TYPE, kid: "k1" })
      .sign(privateKey);
  upstream = createServer((req, res) => {
    void readAll(req).then(async (body) => {
      const url = req.url ?? "/";
      if (url === "/.well-known/jwks.json") {
        json(res, 200, { keys: [jwk] });
        return;
      }
      if (req.method === "GET" && url === `/v1/sessions/${SESSION_ID}`) {
        const claims: VerdictClaims = {
          iss: upstreamUrl,
          aud: API_KEY_ID,
          sub: SESSION_ID,
          reference: "demo-x",
          decision: "pass",
          reasons: [],
          match: MATCH,
          models: {},
          iat: Math.floor(Date.now() / 1000),
          exp: Math.floor(Date.now() / 1000) + 600,
        };
        json(res, 200, sessionResult(await sign(claims)));
        return;
      }
      const entry: Received = {
        method: req.method ?? "?",
        url,
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body,
      };
      received.push(entry);
      const { status, body: answerBody } = answer(entry);
      json(res, status, answerBody);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${String((upstream.address() as AddressInfo).port)}`;
  site = mkdtempSync(join(tmpdir(), "lumen-demo-site-"));
  demo = await startDemoServer({
    lumenUrl: upstreamUrl,
    apiKey: API_KEY,
    apiKeyId: API_KEY_ID,
    site: { kind: "static", dir: site },
    log: (entry) => logs.push(entry),
  });
});

afterAll(async () => {
  await demo.close();
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(site, { recursive: true, force: true });
});

beforeEach(() => {
  received = [];
  answer = attached;
  sessionResult = (verdict) => ({
    sessionId: SESSION_ID,
    reference: "demo-x",
    status: "completed",
    decision: "pass",
    reasons: [],
    scores: null,
    verdict,
    referenceImage: { kind: "document", attachedAt: ATTACHED_AT },
    match: MATCH,
    auditFrames: [0],
    analysis: null,
  });
});

afterEach(() => {
  logs.length = 0;
});

function put(
  body: Uint8Array<ArrayBuffer> | string,
  { kind = "document", type = "image/png" }: { kind?: string | null; type?: string } = {},
) {
  const query = kind === null ? "" : `?kind=${kind}`;
  return fetch(`${demo.url}/rp/sessions/${SESSION_ID}/reference-image${query}`, {
    method: "PUT",
    headers: { "content-type": type },
    body,
  });
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe("PUT /rp/sessions/:id/reference-image", () => {
  it("forwards the image's bytes, media type and kind with the API key, and answers the attachment", async () => {
    const res = await put(IMAGE, { kind: "portrait", type: "image/png; name=id.png" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      sessionId: SESSION_ID,
      referenceImage: { kind: "portrait", attachedAt: ATTACHED_AT },
    });
    expect(received).toHaveLength(1);
    const [forwarded] = received;
    expect(forwarded?.method).toBe("PUT");
    expect(forwarded?.url).toBe(`/v1/sessions/${SESSION_ID}/reference-image?kind=portrait`);
    expect(forwarded?.authorization).toBe(`Bearer ${API_KEY}`);
    expect(forwarded?.contentType).toBe("image/png");
    expect(new Uint8Array(forwarded?.body ?? [])).toEqual(IMAGE);
    expect(logs).toContainEqual({
      method: "PUT",
      route: "/rp/sessions/:id/reference-image",
      status: 200,
      code: null,
    });
  });

  it("forwards a JPEG as image/jpeg, up to the protocol's size bound", async () => {
    const largest = new Uint8Array(PROTOCOL_LIMITS.maxReferenceBytes).fill(7);
    const res = await put(largest, { type: "image/jpeg" });
    expect(res.status).toBe(200);
    expect(received[0]?.contentType).toBe("image/jpeg");
    expect(received[0]?.body.byteLength).toBe(PROTOCOL_LIMITS.maxReferenceBytes);
  });

  it.each([
    ["a GIF", IMAGE, { type: "image/gif" }, /image\/jpeg or image\/png/],
    ["a JSON body", "{}", { type: "application/json" }, /image\/jpeg or image\/png/],
    ["an unknown kind", IMAGE, { kind: "passport" }, /`kind` must be `portrait` or `document`/],
    ["no kind", IMAGE, { kind: null }, /`kind`/],
    ["an empty body", new Uint8Array(0), {}, /empty/],
  ] as const)(
    "refuses %s with 400 REQUEST_INVALID without calling the server",
    async (_, body, options, message) => {
      const res = await put(body, options);
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe("REQUEST_INVALID");
      expect(error.message).toMatch(message);
      expect(received).toEqual([]);
    },
  );

  it("refuses a body over the protocol's bound with 413 without calling the server", async () => {
    const res = await put(new Uint8Array(PROTOCOL_LIMITS.maxReferenceBytes + 1));
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("PAYLOAD_TOO_LARGE");
    expect(received).toEqual([]);
  });

  it("refuses a malformed session id and other methods before forwarding", async () => {
    const malformed = await fetch(
      `${demo.url}/rp/sessions/ses_short/reference-image?kind=document`,
      {
        method: "PUT",
        headers: { "content-type": "image/png" },
        body: IMAGE,
      },
    );
    expect(malformed.status).toBe(400);
    const get = await fetch(`${demo.url}/rp/sessions/${SESSION_ID}/reference-image`);
    expect(get.status).toBe(405);
    expect((await errorOf(get)).code).toBe("METHOD_NOT_ALLOWED");
    expect(received).toEqual([]);
  });

  it.each([
    [422, "REFERENCE_UNUSABLE", "The image shows no face"],
    [400, "IMAGE_INVALID", "The image is not a decodable JPEG or PNG"],
    [409, "SESSION_STATE_CONFLICT", "Evidence for this session was already received"],
    [410, "SESSION_EXPIRED", "The session expired"],
  ])("relays the server's %i %s with its message", async (status, code, message) => {
    answer = () => ({ status, body: { error: { code, message } } });
    const res = await put(IMAGE);
    expect(res.status).toBe(status);
    expect(await errorOf(res)).toEqual({ code, message });
    expect(logs.at(-1)).toMatchObject({ method: "PUT", status, code });
  });

  it("answers 404 for a session the server does not know", async () => {
    answer = () => ({
      status: 404,
      body: { error: { code: "SESSION_NOT_FOUND", message: "No such session" } },
    });
    const res = await put(IMAGE);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("NOT_FOUND");
  });

  it.each([
    ["a refused API key", 401, { error: { code: "UNAUTHORIZED", message: "key?" } }],
    ["a code the page cannot act on", 400, { error: { code: "NONCE_MISMATCH", message: "x" } }],
    [
      "a status that is not the code's",
      400,
      { error: { code: "REFERENCE_UNUSABLE", message: "x" } },
    ],
    ["a body that is not an error", 422, { ok: true }],
    ["a server failure", 500, { error: { code: "INTERNAL", message: "Internal server error" } }],
    [
      "an answer for another session",
      200,
      {
        sessionId: "ses_AnotherSession00000001",
        referenceImage: { kind: "document", attachedAt: ATTACHED_AT },
      },
    ],
  ])("answers 502 UPSTREAM_FAILED without the key for %s", async (_, status, body) => {
    answer = () => ({ status, body });
    const res = await put(IMAGE);
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(text).not.toContain(API_KEY);
    expect(JSON.parse(text)).toMatchObject({ error: { code: "UPSTREAM_FAILED" } });
  });
});

describe("GET /rp/sessions/:id with a reference image", () => {
  it("verifies a verdict carrying the match claim and passes the reference and match through", async () => {
    const res = await fetch(`${demo.url}/rp/sessions/${SESSION_ID}`);
    expect(res.status).toBe(200);
    const result = (await res.json()) as RpResult;
    expect(result.verificationError).toBeNull();
    expect(result.verdictVerified).toBe(true);
    expect(result.verdict?.match).toEqual(MATCH);
    expect(result.session.referenceImage).toEqual({ kind: "document", attachedAt: ATTACHED_AT });
    expect(result.session.match).toEqual(MATCH);
  });
});
