import { describe, expect, it } from "vitest";
import { formPairs } from "../src/identity-pairs.ts";

describe("formPairs", () => {
  it("keeps every genuine and every impostor pair under the bound", () => {
    const pairs = formPairs(["ann", "ann", "bob", "cy", "cy"], 100);
    expect(pairs.genuine).toEqual([
      [0, 1],
      [3, 4],
    ]);
    expect(pairs.impostor).toHaveLength(10 - 2);
    expect(pairs.impostorAvailable).toBe(8);
    expect(pairs.sampled).toBe(false);
    for (const [i, j] of pairs.impostor) expect(i).toBeLessThan(j);
  });

  it("samples impostor pairs evenly and reproducibly above the bound", () => {
    // 4 people × 5 images: 190 pairs, 40 genuine, 150 impostor; keep 15, every 10th.
    const persons = Array.from({ length: 20 }, (_, i) => `p${Math.floor(i / 5)}`);
    const pairs = formPairs(persons, 15);
    expect(pairs.genuine).toHaveLength(40);
    expect(pairs.impostorAvailable).toBe(150);
    expect(pairs.sampled).toBe(true);
    expect(pairs.impostor).toHaveLength(15);
    expect(new Set(pairs.impostor.map(([i, j]) => `${i}-${j}`)).size).toBe(15);
    for (const [i, j] of pairs.impostor) expect(persons[i]).not.toBe(persons[j]);
    // Every person appears in the sample.
    const seen = new Set(pairs.impostor.flatMap(([i, j]) => [persons[i], persons[j]]));
    expect(seen.size).toBe(4);
    expect(formPairs(persons, 15)).toEqual(pairs);
  });

  it("forms no pair from fewer than two images or one person alone", () => {
    expect(formPairs([], 10)).toEqual({
      genuine: [],
      impostor: [],
      impostorAvailable: 0,
      sampled: false,
    });
    expect(formPairs(["solo"], 10).impostor).toEqual([]);
    expect(formPairs(["a", "b"], 10).impostor).toEqual([[0, 1]]);
    expect(() => formPairs(["a"], 0)).toThrow(RangeError);
  });
});
