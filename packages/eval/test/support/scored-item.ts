import type { ItemResult } from "../../src/report.ts";

/**
 * An evaluated still with the given passive model scores, for tests of the report and the
 * fusion; the fields those ignore hold a plausible constant.
 *
 * @example
 * ```ts
 * scoredItem("attack/print/alice-1.jpg", { hyperfas: -2.1 });
 * ```
 */
export function scoredItem(
  path: string,
  modelScores: Readonly<Record<string, number>>,
  faceSize = 0.4,
): ItemResult {
  const [presentationClass, species = "unknown"] = path.split("/");
  const bona = presentationClass === "bona-fide";
  return {
    path,
    class: bona ? "bona-fide" : "attack",
    species,
    media: "jpeg",
    frames: 1,
    faces: 1,
    liveness: bona ? 1 : -1,
    realness: 0.5,
    combined: bona ? 1 : -1,
    modelScores,
    faceSize,
    outcome: bona ? "pass" : "fail",
    reasons: bona ? [] : ["SPOOF_SUSPECTED"],
    gatedBy: [],
    decision: bona ? "accepted" : "rejected",
    noFace: false,
  };
}
