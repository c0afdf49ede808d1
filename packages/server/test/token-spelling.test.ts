import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compactJwsSpelling } from "../src/tokens/compact-jws-spelling.ts";
import {
  createHarness,
  errorCode,
  evidenceForm,
  tinyJpeg,
  type Harness,
  type StartedSession,
} from "./support/app-harness.ts";

/** The order of P-256's base point. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function signatureOf(token: string): { head: string; signature: Buffer } {
  const cut = token.lastIndexOf(".");
  return { head: token.slice(0, cut), signature: Buffer.from(token.slice(cut + 1), "base64url") };
}

/** The same signature with `s` replaced by `n − s`: ECDSA verifies both. */
function malleate(token: string): string {
  const { head, signature } = signatureOf(token);
  const s = BigInt(`0x${signature.subarray(32).toString("hex")}`);
  const flipped = Buffer.from((P256_N - s).toString(16).padStart(64, "0"), "hex");
  return `${head}.${Buffer.concat([signature.subarray(0, 32), flipped]).toString("base64url")}`;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Sets unused low bits of the signature's last character (64 bytes leave 4 of them). */
function strayBits(token: string, bits = 1): string {
  const last = ALPHABET.indexOf(token.slice(-1));
  return `${token.slice(0, -1)}${ALPHABET[last | bits] ?? ""}`;
}

const RESPELLINGS: Record<string, (token: string) => string> = {
  "s replaced by n − s": malleate,
  "stray bits in the last character": (token) => strayBits(token),
  "= padding": (token) => `${token}==`,
  "a space inside the signature": (token) => `${token.slice(0, -10)} ${token.slice(-10)}`,
};

/** A started session whose good token was burnt by an upload with frame 0 swapped. */
async function burnt(attemptsPerSession = 10): Promise<{
  h: Harness;
  session: StartedSession;
  token: string;
  frames: Uint8Array[];
}> {
  const h = await createHarness({
    rateLimits: {
      sessionsPerKeyPerMinute: 60,
      attemptsPerSession,
      failuresPerReference: 5,
      failureWindowMs: 180_000,
    },
  });
  const session = await h.startSession();
  h.clock.advance(4_000);
  const { token, frames } = await h.goodEvidence(session);
  const swapped = [tinyJpeg(99), ...frames.slice(1)];
  const first = await h.upload(session.sessionId, evidenceForm(token, swapped));
  expect(await errorCode(first)).toBe("FRAME_HASH_MISMATCH");
  const replay = await h.upload(session.sessionId, evidenceForm(token, frames));
  expect(await errorCode(replay)).toBe("REPLAYED");
  return { h, session, token, frames };
}

describe("a burnt result token stays burnt however it is re-spelled", () => {
  for (const [name, respell] of Object.entries(RESPELLINGS)) {
    it(`refuses ${name} with REPLAYED`, async () => {
      const { h, session, token, frames } = await burnt();
      const respelled = respell(token);
      expect(respelled).not.toBe(token);
      const res = await h.upload(session.sessionId, evidenceForm(respelled, frames));
      expect(res.status).toBe(409);
      expect(await errorCode(res)).toBe("REPLAYED");
      expect(h.verify).not.toHaveBeenCalled();
      expect(h.store.get(session.sessionId)).toMatchObject({ status: "started", outcome: null });
    });
  }

  it("refuses random re-spellings and malleations of a burnt token, never reaching re-check", async () => {
    const runs = 60;
    const { h, session, token, frames } = await burnt(runs + 2);
    const step = fc.constantFrom(...Object.values(RESPELLINGS));
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 15 }),
        async (steps, bits) => {
          const respelled = steps.reduce(
            (t, respell) =>
              respell === RESPELLINGS["stray bits in the last character"]
                ? strayBits(t, bits)
                : respell(t),
            token,
          );
          const res = await h.upload(session.sessionId, evidenceForm(respelled, frames));
          // A spelling that no longer verifies is TOKEN_INVALID; one that does is the burnt token.
          expect(["REPLAYED", "TOKEN_INVALID"]).toContain(await errorCode(res));
        },
      ),
      { numRuns: runs },
    );
    expect(h.verify).not.toHaveBeenCalled();
    expect(h.store.get(session.sessionId)).toMatchObject({ status: "started", outcome: null });
  });
});

describe("a fresh token is accepted in one spelling only", () => {
  for (const [name, respell] of Object.entries(RESPELLINGS)) {
    const canonical = name.startsWith("s replaced");
    it(`${canonical ? "accepts" : "refuses"} a fresh token with ${name}`, async () => {
      const h = await createHarness();
      const session = await h.startSession();
      h.clock.advance(4_000);
      const { token, frames } = await h.goodEvidence(session);
      const res = await h.upload(session.sessionId, evidenceForm(respell(token), frames));
      if (canonical) {
        expect(res.status).toBe(200);
        expect(h.verify).toHaveBeenCalledTimes(1);
        return;
      }
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe("TOKEN_INVALID");
      expect(h.verify).not.toHaveBeenCalled();
      // Its signature verified, so it is burnt: the canonical spelling is now a replay too.
      const again = await h.upload(session.sessionId, evidenceForm(token, frames));
      expect(await errorCode(again)).toBe("REPLAYED");
    });
  }
});

describe("compactJwsSpelling", () => {
  it("gives every re-spelling of one token the same signing input", async () => {
    const h = await createHarness();
    const session = await h.startSession();
    const { token } = await h.goodEvidence(session);
    expect(compactJwsSpelling(token)).toEqual({
      signingInput: token.slice(0, token.lastIndexOf(".")),
      canonical: true,
    });
    for (const respell of Object.values(RESPELLINGS)) {
      expect(compactJwsSpelling(respell(token)).signingInput).toBe(
        compactJwsSpelling(token).signingInput,
      );
    }
  });

  it.each([
    ["two segments", "eyJhIjoxfQ.eyJiIjoyfQ"],
    ["four segments", `eyJhIjoxfQ.eyJiIjoyfQ.${"A".repeat(86)}.x`],
    ["a short signature", `eyJhIjoxfQ.eyJiIjoyfQ.${"A".repeat(84)}`],
    ["a padded header", `eyJhIjoxfQ==.eyJiIjoyfQ.${"A".repeat(86)}`],
    ["standard base64 characters", `eyJhIjoxfQ.eyJi+joyfQ.${"A".repeat(86)}`],
    ["an empty payload", `eyJhIjoxfQ..${"A".repeat(86)}`],
  ])("is not canonical with %s", (_, token) => {
    expect(compactJwsSpelling(token).canonical).toBe(false);
  });
});
