import { describe, expect, it } from "vitest";
import { FUSION_RECIPE } from "../src/fusion/fusion-recipe.ts";
import { passiveScoreReport } from "../src/fusion/passive-report.ts";
import type { ItemResult } from "../src/report.ts";
import { scoredItem } from "./support/scored-item.ts";

// Ten items of each class; every model ranks them perfectly.
function items(name: (i: number) => string): ItemResult[] {
  return [true, false].flatMap((bona) =>
    Array.from({ length: 10 }, (_, i) =>
      scoredItem(
        `${bona ? "bona-fide/still" : `attack/${i % 2 ? "print" : "replay"}`}/${name(i)}.jpg`,
        Object.fromEntries(FUSION_RECIPE.features.map((id) => [id, (bona ? 5 : -5) + i / 10])),
      ),
    ),
  );
}

describe("passiveScoreReport", () => {
  it("summarises every model and the cross-validated fusion, with APCER per species", () => {
    const report = passiveScoreReport(
      items((i) => `source${i}-1`),
      FUSION_RECIPE,
    );
    expect(Object.keys(report.models).sort()).toEqual([...FUSION_RECIPE.features].sort());
    for (const summary of Object.values(report.models)) {
      expect(summary).toMatchObject({ items: 20, auc: 1, eer: 0 });
      expect(summary.aucBySpecies).toEqual({ print: 1, replay: 1 });
    }
    expect(report.fusion).toMatchObject({ items: 20, auc: 1 });
    expect(report.fusion?.operatingPoints.standard).toMatchObject({
      targetBpcer: 0.02,
      apcerBySpecies: { print: 0, replay: 0 },
    });
  });

  it("leaves the fusion out, rather than failing the run, when every file names one source", () => {
    const report = passiveScoreReport(
      items((i) => `IMG_${i}`),
      FUSION_RECIPE,
    );
    expect(report.fusion).toBeNull();
    expect(report.models["hyperfas"]?.auc).toBe(1);
  });
});
