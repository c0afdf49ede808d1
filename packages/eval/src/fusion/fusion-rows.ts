import type { ItemResult } from "../report.ts";
import type { FusionRow } from "./cross-validate.ts";

/**
 * The fold group of a data set file: its name up to the first `-` or `_` (the dev set names each
 * file by its source, one person or one video), whatever its class and species folders, so a
 * file's near-copies (a person's bona fide crops and the replays of them) never sit on both
 * sides of a fold.
 *
 * @example
 * ```ts
 * sourceGroup("bona-fide/crop/alexcamargo-14.png"); // "alexcamargo"
 * ```
 */
export function sourceGroup(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return /^[^-_.]+/.exec(name)?.[0] ?? name;
}

/**
 * The fusion's rows of evaluated items: each item's median model scores in the order of
 * `features`; items lacking one (no face, or a model that did not run) are left out.
 *
 * @example
 * ```ts
 * const rows = fusionRows(report.items, PASSIVE_FUSION.features);
 * ```
 */
export function fusionRows(
  items: readonly ItemResult[],
  features: readonly string[],
): { rows: FusionRow[]; items: ItemResult[] } {
  const rows: FusionRow[] = [];
  const kept: ItemResult[] = [];
  for (const item of items) {
    const values = features.map((model) => item.modelScores?.[model]);
    if (!values.every((v): v is number => v !== undefined)) continue;
    rows.push({
      group: sourceGroup(item.path),
      features: values,
      label: item.class === "bona-fide" ? 1 : 0,
    });
    kept.push(item);
  }
  return { rows, items: kept };
}
