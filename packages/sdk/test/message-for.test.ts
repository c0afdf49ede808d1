import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "@lumen/protocol";
import { en } from "../src/ui/locales/en.ts";
import { messageFor } from "../src/ui/message-for.ts";

describe("messageFor", () => {
  it.each([
    "CAMERA_DENIED",
    "CAMERA_NOT_FOUND",
    "CAMERA_IN_USE",
    "MODEL_INTEGRITY_FAILED",
    "WORKER_CRASHED",
    "UNSUPPORTED_BROWSER",
    "NETWORK_FAILED",
    "VIRTUAL_CAMERA",
  ] as const)("gives %s its own message", (code) => {
    expect(messageFor(code, en)).toBe(en.errors[code]);
    expect(messageFor(code, en)).not.toBe(en.errors.generic);
  });

  it("never shows a developer message: every protocol code reads as a user text", () => {
    const texts = new Set(Object.values(en.errors));
    for (const code of Object.keys(ERROR_CODES)) {
      expect(texts, code).toContain(messageFor(code, en));
      expect(messageFor(code, en)).not.toBe(ERROR_CODES[code as keyof typeof ERROR_CODES].message);
    }
  });

  it("falls back to the generic text for unknown codes, even inherited property names", () => {
    expect(messageFor("TOKEN_INVALID", en)).toBe(en.errors.generic);
    expect(messageFor("toString", en)).toBe(en.errors.generic);
  });

  it("sends a session that cannot be resumed back to the start", () => {
    expect(messageFor("SESSION_STATE_CONFLICT", en)).toBe(en.errors.SESSION_EXPIRED);
  });
});
