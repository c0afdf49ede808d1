// @vitest-environment happy-dom
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installTamper, replayUpload, type Tamper } from "../src/lab/tamper.ts";

const SESSION = "ses_AAAAAAAAAAAAAAAAAAAAAA";
const EVIDENCE_URL = `http://127.0.0.1:8787/v1/sessions/${SESSION}/evidence`;
const HEADER = { alg: "ES256", typ: "lumen-result+jwt" };
const CLAIMS = {
  sid: SESSION,
  frames: [
    { capturedAt: 1, scores: { faces: 1, liveness: -6, realness: 0.2 } },
    { capturedAt: 2, scores: null },
  ],
};

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

async function deviceToken(key: CryptoKey): Promise<string> {
  const input = `${b64(HEADER)}.${b64(CLAIMS)}`;
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    new TextEncoder().encode(input),
  );
  return `${input}.${Buffer.from(signature).toString("base64url")}`;
}

interface Sent {
  readonly url: string;
  readonly body: FormData;
}

describe("the attack lab's page tampering", () => {
  const realFetch = globalThis.fetch;
  let sent: Sent[];
  let tamper: Tamper | null;

  beforeEach(() => {
    sent = [];
    tamper = null;
    // What the hooks forward to: the network, as far as the page knows.
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push({
        url: input instanceof Request ? input.url : input.toString(),
        body: init?.body as FormData,
      });
      return Promise.resolve(
        Response.json({ error: { code: "REPLAYED", message: "again" } }, { status: 409 }),
      );
    };
  });

  afterEach(() => {
    tamper?.restore();
    globalThis.fetch = realFetch;
  });

  /** The SDK's side: a device key made while the hook is on, a token, the upload. */
  async function sdkUpload(): Promise<{ publicJwk: JWK; token: string }> {
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
      "sign",
      "verify",
    ]);
    const token = await deviceToken(pair.privateKey);
    const form = new FormData();
    form.append("token", token);
    form.append("frame0", new Blob([new Uint8Array([0xff, 0xd8])], { type: "image/jpeg" }));
    await fetch(EVIDENCE_URL, { method: "POST", body: form });
    return {
      publicJwk: await crypto.subtle.exportKey("jwk", pair.publicKey),
      token,
    };
  }

  it("lies about every frame's scores and re-signs with the SDK's own device key", async () => {
    tamper = installTamper("lie-about-scores");
    const { publicJwk } = await sdkUpload();
    const rewritten = sent[0]?.body.get("token");
    expect(typeof rewritten).toBe("string");
    const verified = await compactVerify(rewritten as string, await importJWK(publicJwk, "ES256"));
    const claims = JSON.parse(new TextDecoder().decode(verified.payload)) as typeof CLAIMS;
    expect(claims.sid).toBe(SESSION);
    for (const frame of claims.frames) {
      expect(frame.scores).toEqual({ faces: 1, liveness: 8, realness: 0.98 });
    }
    expect(decodeProtectedHeader(rewritten as string)).toEqual(HEADER);
    expect(sent[0]?.body.get("frame0")).toBeInstanceOf(Blob);
    expect(tamper.response).toEqual({ status: 409, code: "REPLAYED" });
  });

  it("forges: the same claims, signed by another key than the device's", async () => {
    tamper = installTamper("forge-signature");
    const { publicJwk, token } = await sdkUpload();
    const forged = sent[0]?.body.get("token") as string;
    expect(forged.split(".").slice(0, 2)).toEqual(token.split(".").slice(0, 2));
    await expect(compactVerify(forged, await importJWK(publicJwk, "ES256"))).rejects.toThrow();
  });

  it("records an upload unchanged and replays it as it was", async () => {
    tamper = installTamper("record");
    const { token } = await sdkUpload();
    expect(sent[0]?.body.get("token")).toBe(token);
    const upload = tamper.upload;
    expect(upload?.url).toBe(EVIDENCE_URL);
    if (!upload) throw new Error("no upload recorded");
    expect(await replayUpload(upload)).toEqual({ status: 409, code: "REPLAYED" });
    expect(sent[1]?.body.get("token")).toBe(token);
  });

  it("leaves other requests alone and puts fetch and generateKey back", async () => {
    const generateKey = Object.getOwnPropertyDescriptor(SubtleCrypto.prototype, "generateKey");
    const network = globalThis.fetch;
    tamper = installTamper("lie-about-scores");
    await fetch("/rp/sessions", { method: "POST", body: "{}" });
    expect(sent).toEqual([{ url: "/rp/sessions", body: "{}" }]);
    expect(tamper.upload).toBeNull();
    tamper.restore();
    expect(globalThis.fetch).toBe(network);
    expect(Object.getOwnPropertyDescriptor(SubtleCrypto.prototype, "generateKey")).toEqual(
      generateKey,
    );
  });

  it("refuses to lie without the device key rather than send a half-made token", async () => {
    tamper = installTamper("lie-about-scores");
    const form = new FormData();
    form.append("token", `${b64(HEADER)}.${b64(CLAIMS)}.sig`);
    await expect(fetch(EVIDENCE_URL, { method: "POST", body: form })).rejects.toThrow(
      "the SDK's device key was not caught",
    );
    expect(sent).toEqual([]);
  });
});
