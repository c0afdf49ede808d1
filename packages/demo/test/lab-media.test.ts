// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { ILLUMINATION_REASONS } from "@lumen/protocol";
import { ATTACK_IDS, ATTACKS, attackById } from "../src/lab/attacks.ts";
import { loadMedia, MEDIA_LIMITS, MediaError } from "../src/lab/load-media.ts";

describe("the attack lab's media checks", () => {
  it("refuses an empty file, an oversized one and one of another type, before decoding", async () => {
    await expect(loadMedia(new File([], "empty.jpg", { type: "image/jpeg" }))).rejects.toThrow(
      new MediaError("empty.jpg is empty"),
    );
    const big = new File([new Uint8Array(MEDIA_LIMITS.maxBytes + 1)], "big.mp4", {
      type: "video/mp4",
    });
    await expect(loadMedia(big)).rejects.toThrow(/big\.mp4 is larger than 64 MB/);
    await expect(
      loadMedia(new File(["hello"], "notes.txt", { type: "text/plain" })),
    ).rejects.toThrow(/notes\.txt: use a photo .* or a video/);
  });
});

describe("the attack lab's catalogue", () => {
  it("lists every attack once, each naming the codes that refuse it", () => {
    expect(ATTACKS.map((a) => a.id)).toEqual([...ATTACK_IDS]);
    for (const attack of ATTACKS) {
      if (attack.id === "cooperative" || attack.measured) expect(attack.expected).toEqual([]);
      else expect(attack.expected.length).toBeGreaterThan(0);
    }
  });

  it("climbs the adaptive-attack ladder: each rung a relight the illumination checks refuse, the top one measured", () => {
    const ladder = ATTACKS.filter((a) => a.id.startsWith("ladder-"));
    expect(ladder.map((a) => [a.id, a.relight.mode, a.relight.delayMs, a.measured])).toEqual([
      ["ladder-1", "tint-face", 0, false],
      ["ladder-2", "tint-frame", 0, false],
      ["ladder-3", "flat", 0, false],
      ["ladder-4-150", "3d", 150, false],
      ["ladder-4-300", "3d", 300, false],
      ["ladder-5", "swapped", 0, false],
      ["ladder-6", "3d", 0, true],
    ]);
    for (const rung of ladder.filter((a) => !a.measured)) {
      expect(rung.expected).toEqual([...ILLUMINATION_REASONS]);
      expect(rung).toMatchObject({ subject: "adaptive", answerFlashes: true, answerPrompts: true });
    }
    // The control is the top rung on a real video.
    expect(attackById("cooperative").relight).toEqual(attackById("ladder-6").relight);
  });

  it("finds an attack by id and refuses an unknown one", () => {
    expect(attackById("face-swap").media).toBe("two-videos");
    expect(() => attackById("nope")).toThrow(new RangeError('No attack "nope"'));
  });
});
