import { join } from "node:path";
import { decodeJwt } from "jose";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faceDistance } from "@lumen/core";
import {
  AttachReferenceResponse,
  PROTOCOL_LIMITS,
  SessionResult,
  VerdictClaims,
} from "@lumen/protocol";
import { videoStill } from "../../../test/src/harness/video-still.ts";
import { createPooledEvidenceVerifier } from "../src/verification/pooled-evidence-verifier.ts";
import type { EvidenceVerifier } from "../src/verification/evidence-verifier.ts";
import {
  BANK_KEY,
  createHarness,
  DAY_MS,
  errorCode,
  evidenceForm,
  OTHER_KEY,
  type Harness,
} from "./support/app-harness.ts";
import { MEDIA_DIR, MODEL_DIR } from "./support/genuine-evidence.ts";

// PUT /v1/sessions/{id}/reference-image: the HTTP contract on the app harness's fake verifier,
// then every image check on the real models (pooled worker, libvips decoding).

const video = (name: string) => join(MEDIA_DIR, "genuine", `liveportrait-${name}.mp4`);

async function message(res: Response): Promise<string> {
  const body = (await res.clone().json()) as { error: { message: string } };
  return body.error.message;
}

async function read(h: Harness, id: string): Promise<SessionResult> {
  return SessionResult.parse(await (await h.getSession(id)).json());
}

describe("the reference image over HTTP", () => {
  let portrait: Uint8Array;

  beforeAll(async () => {
    portrait = await videoStill(video("d3"), 1, "jpeg");
  });

  it("attaches before the capture, replaces, and reports the kind, never the face", async () => {
    const h = await createHarness();
    const { sessionId } = await h.createSession();
    const res = await h.attachReference(sessionId, portrait, { kind: "portrait" });
    expect(res.status).toBe(200);
    const body = AttachReferenceResponse.parse(await res.json());
    expect(body).toEqual({
      sessionId,
      referenceImage: { kind: "portrait", attachedAt: h.clock.now() },
    });
    h.clock.advance(1000);
    const again = await h.attachReference(sessionId, portrait, { kind: "document" });
    expect(again.status).toBe(200);
    expect((await read(h, sessionId)).referenceImage).toEqual({
      kind: "document",
      attachedAt: h.clock.now(),
    });
    expect(h.embedReference).toHaveBeenCalledTimes(2);
    expect(h.store.auditLog(sessionId).map((e) => [e.event, e.detail])).toEqual([
      ["created", null],
      ["reference_attached", "portrait"],
      ["reference_attached", "document"],
    ]);
    expect(JSON.stringify(h.logs)).not.toMatch(/0\.05/);
  });

  it("compares at verification and signs the match into the verdict", async () => {
    const h = await createHarness();
    const session = await h.startSession();
    expect((await h.attachReference(session.sessionId, portrait)).status).toBe(200);
    const evidence = await h.goodEvidence(session);
    await h.upload(session.sessionId, evidenceForm(evidence.token, evidence.frames));
    expect(h.verify.mock.calls[0]?.[0].reference).toHaveLength(128);
    const result = await read(h, session.sessionId);
    expect(result.match).toEqual(h.state.match);
    const claims = VerdictClaims.parse(decodeJwt(result.verdict ?? ""));
    expect(claims.match).toEqual(h.state.match);
    expect(JSON.stringify(claims)).not.toContain("embedding");

    // Without a reference: no comparison, `match: null` in both.
    const plain = await h.startSession();
    const plainEvidence = await h.goodEvidence(plain);
    await h.upload(plain.sessionId, evidenceForm(plainEvidence.token, plainEvidence.frames));
    expect(h.verify.mock.calls[1]?.[0].reference).toBeNull();
    const plainResult = await read(h, plain.sessionId);
    expect(plainResult).toMatchObject({ referenceImage: null, match: null });
    expect(VerdictClaims.parse(decodeJwt(plainResult.verdict ?? "")).match).toBeNull();
  });

  it("refuses once evidence arrived, after expiry, and for another key's session", async () => {
    const h = await createHarness();
    const session = await h.startSession();
    const evidence = await h.goodEvidence(session);
    await h.upload(session.sessionId, evidenceForm(evidence.token, evidence.frames));
    const late = await h.attachReference(session.sessionId, portrait);
    expect([late.status, await errorCode(late)]).toEqual([409, "SESSION_STATE_CONFLICT"]);

    const { sessionId } = await h.createSession();
    const foreign = await h.attachReference(sessionId, portrait, { apiKey: OTHER_KEY });
    expect([foreign.status, await errorCode(foreign)]).toEqual([404, "SESSION_NOT_FOUND"]);
    const unauthenticated = await h.app.request(`/v1/sessions/${sessionId}/reference-image`, {
      method: "PUT",
      body: portrait,
    });
    expect(unauthenticated.status).toBe(401);
    h.clock.advance(DAY_MS);
    const expired = await h.attachReference(sessionId, portrait);
    expect([expired.status, await errorCode(expired)]).toEqual([410, "SESSION_EXPIRED"]);
    expect(h.embedReference).not.toHaveBeenCalled();
  });

  it("refuses a bad kind, type, empty or oversized body before any decoding", async () => {
    const h = await createHarness();
    const { sessionId } = await h.createSession();
    const cases: [Response, number, string][] = [
      [await h.attachReference(sessionId, portrait, { kind: "passport" }), 400, "REQUEST_INVALID"],
      [await h.attachReference(sessionId, portrait, { type: "image/gif" }), 400, "REQUEST_INVALID"],
      [await h.attachReference(sessionId, new Uint8Array(0)), 400, "REQUEST_INVALID"],
      [
        await h.attachReference(sessionId, new Uint8Array(PROTOCOL_LIMITS.maxReferenceBytes + 1)),
        413,
        "PAYLOAD_TOO_LARGE",
      ],
    ];
    expect(await message(cases[0]?.[0] as Response)).toMatch(/portrait.*document/);
    for (const [res, status, code] of cases)
      expect([res.status, await errorCode(res)]).toEqual([status, code]);
    expect(h.embedReference).not.toHaveBeenCalled();
    expect((await read(h, sessionId)).referenceImage).toBeNull();
  });

  it("is erased by DELETE and by the frames' retention purge", async () => {
    const h = await createHarness();
    const a = await h.createSession();
    const b = await h.createSession();
    for (const id of [a.sessionId, b.sessionId]) {
      expect((await h.attachReference(id, portrait)).status).toBe(200);
    }
    await h.app.request(`/v1/sessions/${a.sessionId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${BANK_KEY}` },
    });
    expect(h.store.referenceFace(a.sessionId)).toBeNull();
    expect(h.store.referenceFace(b.sessionId)?.embedding).toHaveLength(128);
    h.clock.advance(DAY_MS + 1);
    expect(h.store.purgeExpired(h.clock.now())).toMatchObject({ references: 1 });
    expect(h.store.referenceFace(b.sessionId)).toBeNull();
  });
});

describe("the reference image's checks, on the real models", () => {
  let verifier: EvidenceVerifier;
  let h: Harness;
  let d3: Uint8Array;
  let d12: Uint8Array;

  beforeAll(async () => {
    verifier = createPooledEvidenceVerifier({
      modelDir: MODEL_DIR,
      workers: 1,
      maxQueue: 8,
      timeoutMs: 60_000,
    });
    h = await createHarness({ verifier });
    d3 = await videoStill(video("d3"), 1, "jpeg");
    d12 = await videoStill(video("d12"), 1, "jpeg");
  }, 60_000);

  afterAll(async () => {
    await verifier.close();
    h.store.close();
  });

  const attach = async (body: Uint8Array, kind = "portrait", type = "image/jpeg") => {
    const { sessionId } = await h.createSession();
    return { sessionId, res: await h.attachReference(sessionId, body, { kind, type }) };
  };
  const refused = async (body: Uint8Array, kind = "portrait", type = "image/jpeg") => {
    const { res } = await attach(body, kind, type);
    const text = await message(res);
    return { status: res.status, code: await errorCode(res), message: text };
  };

  it("embeds a portrait in JPEG or PNG to the same face", async () => {
    const jpegRef = await attach(d3);
    expect(jpegRef.res.status).toBe(200);
    const pngRef = await attach(await videoStill(video("d3"), 1, "png"), "portrait", "image/png");
    expect(pngRef.res.status).toBe(200);
    const a = h.store.referenceFace(jpegRef.sessionId)?.embedding ?? [];
    const b = h.store.referenceFace(pngRef.sessionId)?.embedding ?? [];
    expect(faceDistance(a, b)).toBeLessThan(0.05);
  });

  it("refuses what is not the declared image, or too many pixels, with IMAGE_INVALID", async () => {
    const png = await sharp(d3).png().toBuffer();
    expect(await refused(new Uint8Array(png))).toMatchObject({
      status: 400,
      code: "IMAGE_INVALID",
    });
    const garbage = new Uint8Array(4096).map((_, i) => (i * 31) & 0xff);
    expect(await refused(garbage)).toMatchObject({ status: 400, code: "IMAGE_INVALID" });
    const truncated = d3.slice(0, Math.floor(d3.length / 3));
    expect(await refused(truncated)).toMatchObject({ status: 400, code: "IMAGE_INVALID" });
    // 48 MP of one colour: a few kilobytes, refused from the header.
    const huge = await sharp({
      create: { width: 8000, height: 6000, channels: 3, background: "#808080" },
    })
      .png()
      .toBuffer();
    expect(huge.length).toBeLessThan(PROTOCOL_LIMITS.maxReferenceBytes);
    expect(await refused(new Uint8Array(huge), "portrait", "image/png")).toMatchObject({
      status: 400,
      code: "IMAGE_INVALID",
    });
  });

  it("refuses an image without a usable face with REFERENCE_UNUSABLE naming the problem", async () => {
    const grey = await sharp({
      create: { width: 640, height: 480, channels: 3, background: "#7f7f7f" },
    })
      .jpeg()
      .toBuffer();
    expect(await refused(new Uint8Array(grey))).toEqual({
      status: 422,
      code: "REFERENCE_UNUSABLE",
      message: "No face was found in the reference image",
    });
    const dark = await sharp(d3).linear(0.12, 0).jpeg().toBuffer();
    expect(await refused(new Uint8Array(dark))).toMatchObject({
      status: 422,
      message: "The reference face is too dark",
    });
    const bright = await sharp(d3).linear(1, 160).jpeg().toBuffer();
    expect(await refused(new Uint8Array(bright))).toMatchObject({
      status: 422,
      message: "The reference face is too bright",
    });
    // 48 px wide: the face is found, but its eyes lie about 17 px apart.
    const small = await sharp(d3).resize({ width: 48 }).jpeg().toBuffer();
    expect((await refused(new Uint8Array(small))).message).toMatch(
      /^The reference face is too small: 1\d\.\d px between the outer eye corners, at least 24/,
    );
    const blurred = await sharp(d3).blur(8).jpeg().toBuffer();
    expect(await refused(new Uint8Array(blurred))).toMatchObject({
      status: 422,
      message: "The reference face is blurred",
    });
  });

  it("refuses two faces as a portrait; takes the larger from a document", async () => {
    // d3 at full size beside d12 at half size on one card.
    const half = await sharp(d12).resize({ width: 256 }).toBuffer();
    const card = await sharp({
      create: { width: 900, height: 560, channels: 3, background: "#d8e4ee" },
    })
      .composite([
        { input: Buffer.from(d3), left: 20, top: 24 },
        { input: half, left: 600, top: 280 },
      ])
      .jpeg()
      .toBuffer();
    const portrait = await refused(new Uint8Array(card));
    expect(portrait).toMatchObject({ status: 422, code: "REFERENCE_UNUSABLE" });
    expect(portrait.message).toMatch(/shows 2 faces; it must show exactly one/);
    const document = await attach(new Uint8Array(card), "document");
    expect(document.res.status).toBe(200);
    const own = await attach(d3);
    const other = await attach(d12);
    const taken = h.store.referenceFace(document.sessionId)?.embedding ?? [];
    expect(faceDistance(taken, h.store.referenceFace(own.sessionId)?.embedding ?? [])).toBeLessThan(
      0.2,
    );
    expect(
      faceDistance(taken, h.store.referenceFace(other.sessionId)?.embedding ?? []),
    ).toBeGreaterThan(0.6);
  });

  it("leaves the session usable after a refusal", async () => {
    const { sessionId, res } = await attach(
      new Uint8Array(await sharp(d3).blur(8).jpeg().toBuffer()),
    );
    expect(res.status).toBe(422);
    expect((await h.attachReference(sessionId, d3)).status).toBe(200);
    expect(h.store.get(sessionId)?.status).toBe("created");
    expect(h.store.auditLog(sessionId).map((e) => [e.event, e.detail])).toEqual([
      ["created", null],
      ["reference_refused", "REFERENCE_UNUSABLE"],
      ["reference_attached", "portrait"],
    ]);
  });
});
