import { describe, expect, it } from "vitest";
import { fusionRows, sourceGroup } from "../src/fusion/fusion-rows.ts";
import { scoredItem } from "./support/scored-item.ts";

describe("sourceGroup", () => {
  it.each([
    ["bona-fide/crop/alexcamargo-14.png", "alexcamargo"],
    ["attack/replay-crop/alexcamargo-3.png", "alexcamargo"],
    ["attack/replay/pourfard-14759_person.jpg", "pourfard"],
    ["attack/deepfake/ffpp-DF-000_003-012.png", "ffpp"],
    ["bona-fide/photo/edgeface_jf.jpg", "edgeface"],
    ["bona-fide/video/plain.mp4", "plain"],
    ["attack/print/IMG_0001.jpg", "IMG"],
    ["no-folder-here.jpg", "no"],
  ])("groups %s under %s", (path, group) => {
    expect(sourceGroup(path)).toBe(group);
  });

  it("puts a source's bona fide and attack files in one group, whatever the species", () => {
    expect(sourceGroup("bona-fide/crop/lestari15-0.png")).toBe(
      sourceGroup("attack/replay-crop/lestari15-7.png"),
    );
  });
});

describe("fusionRows", () => {
  const features = ["b", "a"];

  it("orders each item's scores as the features are listed and labels bona fide 1", () => {
    const { rows, items } = fusionRows(
      [
        scoredItem("bona-fide/still/ann-1.jpg", { a: 1, b: 2, c: 3 }),
        scoredItem("attack/print/bob-1.jpg", { a: -1, b: -2 }),
      ],
      features,
    );
    expect(rows).toEqual([
      { group: "ann", features: [2, 1], label: 1 },
      { group: "bob", features: [-2, -1], label: 0 },
    ]);
    expect(items.map((i) => i.path)).toEqual([
      "bona-fide/still/ann-1.jpg",
      "attack/print/bob-1.jpg",
    ]);
  });

  it("leaves out an item lacking any feature's score, keeping rows and items aligned", () => {
    const kept = scoredItem("attack/print/cy-2.jpg", { a: 0, b: 0 });
    const { rows, items } = fusionRows(
      [
        scoredItem("bona-fide/still/ann-1.jpg", { a: 1 }),
        scoredItem("attack/print/bob-1.jpg", {}),
        kept,
      ],
      features,
    );
    expect(rows).toEqual([{ group: "cy", features: [0, 0], label: 0 }]);
    expect(items).toEqual([kept]);
  });
});
