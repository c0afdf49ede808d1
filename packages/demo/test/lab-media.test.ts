// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
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
      if (attack.id === "cooperative") expect(attack.expected).toEqual([]);
      else expect(attack.expected.length).toBeGreaterThan(0);
    }
  });

  it("finds an attack by id and refuses an unknown one", () => {
    expect(attackById("face-swap").media).toBe("two-videos");
    expect(() => attackById("nope")).toThrow(new RangeError('No attack "nope"'));
  });
});
