import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  LumenError,
  RESULT_TOKEN_TYPE,
  type DevicePublicJwk,
  type FrameClaim,
  type ResultTokenClaims,
} from "@lumen/protocol";
import { verifyResultToken } from "../src/tokens/verify-result-token.ts";

const NOW_MS = 1_700_000_000_000;
const OPTIONS = { nowMs: NOW_MS, clockToleranceSeconds: 5 };

/** A standard challenge's evidence: 57 frames. */
const claims: ResultTokenClaims = {
  sid: "ses_0123456789abcdefghijkl",
  nonce: "n".repeat(22),
  iat: NOW_MS / 1000,
  exp: NOW_MS / 1000 + 60,
  frames: Array.from({ length: 57 }, (_, i): FrameClaim => ({
    capturedAt: NOW_MS - 9_000 + 133 * i,
    sha256: i.toString(16).padStart(64, "0"),
    width: 1280,
    height: 720,
    scores: { faces: 1, liveness: 2.5, realness: 0.9 },
  })),
  flashesShownAt: [NOW_MS - 9_000, NOW_MS - 8_000],
  posesShownAt: [NOW_MS - 3_000],
  models: "f".repeat(64),
  signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 4 },
};

let privateKey: CryptoKey;
let deviceKey: DevicePublicJwk;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey;
  const { x = "", y = "" } = await exportJWK(pair.publicKey);
  deviceKey = { kty: "EC", crv: "P-256", x, y };
});

function sign(payload: unknown): Promise<string> {
  return new SignJWT(payload as Record<string, unknown>)
    .setProtectedHeader({ alg: "ES256", typ: RESULT_TOKEN_TYPE })
    .sign(privateKey);
}

/** `claims` with frame 7's `field` (or its score's) set to `value`. */
function withFrame7(field: string, value: unknown, inScores = false): unknown {
  const frames: unknown[] = [...claims.frames];
  const frame = claims.frames[7];
  frames[7] = inScores
    ? { ...frame, scores: { ...frame?.scores, [field]: value } }
    : { ...frame, [field]: value };
  return { ...claims, frames };
}

/** The dotted issue paths of the claims error `verifyResultToken` refused `payload` with. */
async function refusedPaths(payload: unknown): Promise<string[]> {
  const error: unknown = await verifyResultToken(await sign(payload), deviceKey, OPTIONS).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(LumenError);
  expect(error).toMatchObject({
    code: "TOKEN_INVALID",
    message: "The result token's claims are malformed",
  });
  const cause = (error as LumenError).cause;
  expect(cause).toBeInstanceOf(z.ZodError);
  return (cause as z.ZodError).issues.map((issue) => issue.path.join("."));
}

describe("verifyResultToken", () => {
  it("returns the claims of a signed 57-frame token", async () => {
    expect(await verifyResultToken(await sign(claims), deviceKey, OPTIONS)).toEqual(claims);
  });

  it.each([
    ["width", 640.5, false],
    ["width", 0, false],
    ["width", 8193, false],
    ["height", 0, false],
    ["capturedAt", -1, false],
    ["faces", 17, true],
    ["liveness", 1000.5, true],
    ["realness", 1.5, true],
    ["sha256", "a".repeat(63), false],
    ["sha256", "a".repeat(65), false],
    ["sha256", "A".repeat(64), false],
  ])(
    "refuses a signed token whose frame %s is %j, naming the field",
    async (field, value, inScores) => {
      expect(await refusedPaths(withFrame7(field, value, inScores))).toEqual([
        inScores ? `frames.7.scores.${field}` : `frames.7.${field}`,
      ]);
    },
  );

  it("refuses a signed token with an unknown claim or frame key", async () => {
    expect(await refusedPaths({ ...claims, admin: true })).toEqual([""]);
    expect(await refusedPaths(withFrame7("extra", 1))).toEqual(["frames.7"]);
  });
});
