import { describe, expect, it } from "vitest";
import { PASSIVE_FUSION } from "@lumen/core";
import { buildReport } from "../src/evaluate.ts";
import type { Provenance } from "../src/provenance.ts";
import { renderHtml } from "../src/render-html.ts";
import type { ItemResult } from "../src/report.ts";
import { scoredItem } from "./support/scored-item.ts";

const provenance: Provenance = {
  models: { manifestSha256: null, modelsHash: "0".repeat(64), catalog: [] },
  code: { version: null, commit: null, dirty: null },
};

// Six sources of each class, two items each; the first model separates, the others do not.
function item(i: number, bona: boolean, faceSize: number): ItemResult {
  const sign = bona ? 1 : -1;
  return scoredItem(
    `${bona ? "bona-fide/still" : "attack/print"}/src${i % 6}${bona ? "b" : "a"}-${i}.jpg`,
    Object.fromEntries(
      PASSIVE_FUSION.features.map((id, j) => [
        id,
        j === 0 ? sign * (1 + i) : ((i * 7 + j) % 5) - 2,
      ]),
    ),
    faceSize,
  );
}

const items = [
  ...Array.from({ length: 12 }, (_, i) => item(i, true, 0.4)),
  ...Array.from({ length: 12 }, (_, i) => item(i, false, 0.4)),
  item(100, true, 0.95),
  item(101, false, 0.95),
];
const context = { createdAt: "2025-01-01T00:00:00.000Z", dataDir: "/data", provenance };

describe("renderHtml's passive models section", () => {
  it("shows every model and the cross-validated fusion on the supported input, crops apart", () => {
    const report = buildReport(items, [], { ...context, policy: "standard" });
    const html = renderHtml(report);
    expect(html).toContain("<h2>Passive models</h2>");
    expect(html).toContain("<h3>Supported input (24 items)</h3>");
    expect(html).toContain("<h3>Face-only crops (2 items)</h3>");
    expect(html).toContain("not the camera frames the SDK sends");
    const supported = report.passive?.supported.models["silentface-minifasnet-v2"];
    expect(supported?.items).toBe(24);
    expect(html).toContain(
      `<tr><td><code>silentface-minifasnet-v2</code></td><td>24</td><td>${supported?.auc?.toFixed(3)}</td>`,
    );
    expect(html).toMatch(/<tr><td>fusion \(cross-validated\)<\/td><td>24<\/td>/);
    // One operating point row per policy, with APCER per species.
    for (const policy of ["standard", "high", "no-flash"]) {
      expect(html).toMatch(new RegExp(`<tr><td>${policy}</td><td>[25]\\.0%</td>.*print `));
    }
    // Two items only: the crops' fusion cannot be cross-validated, and the page says so.
    expect(report.passive?.faceOnlyCrops.fusion).toBeNull();
    expect(html).toContain("Too few items have every model's score");
  });

  it("names the pinned fusion in force", () => {
    const html = renderHtml(buildReport(items, [], { ...context, policy: "standard" }));
    expect(html).toContain("Pinned fusion in force");
    expect(html).toContain(`<code>${PASSIVE_FUSION.fit.dataSha256.slice(0, 12)}</code>`);
    for (const id of PASSIVE_FUSION.features) expect(html).toContain(`<code>${id}</code>`);
    expect(html).toContain(
      `<td>${PASSIVE_FUSION.operatingPoints.standard.threshold.toFixed(2)}</td>`,
    );
  });

  it("escapes model ids and species", () => {
    const odd = items.map((i) => (i.class === "attack" ? { ...i, species: "<b>print</b>" } : i));
    const html = renderHtml(buildReport(odd, [], { ...context, policy: "standard" }));
    expect(html).not.toContain("<b>print</b>");
    expect(html).toContain("&#60;b&#62;print&#60;/b&#62;");
  });

  it("is absent in sessions mode", () => {
    const html = renderHtml(
      buildReport(items, [], { ...context, policy: "recorded", mode: "sessions" }),
    );
    expect(html).not.toContain("Passive models");
    expect(html).not.toContain("Pinned fusion in force");
  });
});
