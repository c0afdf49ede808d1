import { LumenError } from "@lumen/protocol";
import { describe, expect, it } from "vitest";
import { cancellableSleep } from "../src/runtime/cancellable-sleep.ts";

describe("cancellableSleep", () => {
  it("resolves after the time", async () => {
    await expect(cancellableSleep(1, new AbortController().signal)).resolves.toBeUndefined();
  });

  it("rejects with CANCELLED when aborted, already or meanwhile", async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(cancellableSleep(10_000, aborted.signal)).rejects.toMatchObject({
      code: "CANCELLED",
    });
    const later = new AbortController();
    const sleeping = cancellableSleep(10_000, later.signal);
    later.abort();
    await expect(sleeping).rejects.toBeInstanceOf(LumenError);
  });
});
