import type { DecisionThresholds } from "@lumen/core";
import type { Decision, Policy, ReasonCode } from "@lumen/protocol";
import type { MediaKind, PresentationClass, SkippedItem } from "./collect-items.ts";
import type { EVAL_LIMITS } from "./eval-limits.ts";
import type { BpcerAtApcer, OperatingPoint, ScoreSeparation } from "./metrics.ts";
import type { Provenance } from "./provenance.ts";

/** One evaluated item of `report.json`. */
export interface ItemResult {
  /** Relative to the data folder. */
  readonly path: string;
  readonly class: PresentationClass;
  readonly species: string;
  readonly media: MediaKind;
  /** Frames analysed (1 for a still). */
  readonly frames: number;
  /** Frames in which a face (with its mesh) was found. */
  readonly faces: number;
  readonly liveness: number | null;
  readonly realness: number | null;
  readonly combined: number | null;
  /** The server's decision on the item. */
  readonly outcome: Decision;
  readonly reasons: readonly ReasonCode[];
  /** Reasons that reject the item at every threshold (not liveness or realness). */
  readonly gatedBy: readonly ReasonCode[];
  /** `accepted` (classified bona fide) only when the outcome is `pass`. */
  readonly decision: "accepted" | "rejected";
  /** No sampled frame had a face. */
  readonly noFace: boolean;
}

/** `report.json`. */
export interface EvalReport {
  readonly tool: "@lumen/eval";
  readonly createdAt: string;
  readonly dataDir: string;
  readonly policy: Policy;
  /** Threshold in force on the combined score (`combined ≥ threshold` ⇔ no liveness/realness reason). */
  readonly threshold: number;
  readonly decisionThresholds: DecisionThresholds;
  readonly sampling: {
    readonly videoFps: number;
    readonly maxVideoFrames: number;
    readonly videoScore: string;
  };
  readonly limits: typeof EVAL_LIMITS;
  readonly provenance: Provenance;
  readonly counts: {
    readonly evaluated: number;
    readonly bonaFide: number;
    readonly attack: number;
    readonly bonaFideBySpecies: Readonly<Record<string, number>>;
    readonly attackBySpecies: Readonly<Record<string, number>>;
    readonly noFace: number;
    readonly skipped: number;
    readonly outcomes: Readonly<Record<Decision, number>>;
  };
  /** Attack presentations accepted / attacks, per attack species, at the threshold in force. */
  readonly apcer: Readonly<Record<string, number>>;
  /** The worst species' APCER; `null` without attacks. */
  readonly apcerMax: number | null;
  readonly apcerMaxSpecies: string | null;
  /** Bona fide presentations rejected / bona fide presentations; `null` without any. */
  readonly bpcer: number | null;
  readonly bpcerBySpecies: Readonly<Record<string, number>>;
  /** `(apcerMax + bpcer) / 2`; `null` when either is. */
  readonly acer: number | null;
  /** Of the system score (combined, −∞ when gated). */
  readonly eer: number | null;
  readonly auc: number | null;
  readonly bpcerAtApcer: Readonly<Record<"0.01" | "0.05", BpcerAtApcer | null>>;
  /** EER and AUC of each score: the system's combined score, and each model's over items with a face. */
  readonly models: {
    readonly combined: ScoreSeparation;
    readonly liveness: ScoreSeparation & { readonly items: number };
    readonly realness: ScoreSeparation & { readonly items: number };
  };
  /** The DET curve of the combined score; the strictest threshold (+∞) is written as `null`. */
  readonly det: readonly OperatingPoint[];
  readonly items: readonly ItemResult[];
  readonly noFace: readonly string[];
  readonly skipped: readonly SkippedItem[];
}
