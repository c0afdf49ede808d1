import type { DecisionThresholds } from "@lumen/core";
import type { Decision, Policy, ReasonCode } from "@lumen/protocol";
import type { MediaKind, PresentationClass, SkippedItem } from "./collect-items.ts";
import type { EVAL_LIMITS } from "./eval-limits.ts";
import type { BpcerAtApcer, OperatingPoint, ScoreSeparation } from "./metrics.ts";
import type { PassiveScoreReport } from "./fusion/passive-report.ts";
import type { Provenance } from "./provenance.ts";

/** One evaluated item of `report.json`. */
export interface ItemResult {
  /** Relative to the data folder. */
  readonly path: string;
  readonly class: PresentationClass;
  readonly species: string;
  /** How it was read: an image or video file, or a recorded session's folder. */
  readonly media: MediaKind | "session";
  /** Frames analysed (1 for a still). */
  readonly frames: number;
  /** Frames in which a face (with its mesh) was found. */
  readonly faces: number;
  readonly liveness: number | null;
  readonly realness: number | null;
  readonly combined: number | null;
  /**
   * Each passive model's median score over the frames with a face, log-odds of bona fide, by
   * model id (data mode; empty without a face).
   */
  readonly modelScores?: Readonly<Record<string, number>>;
  /** Median face width over the frame's shorter side; `null` without a face. */
  readonly faceSize?: number | null;
  /** The server's decision on the item. */
  readonly outcome: Decision;
  readonly reasons: readonly ReasonCode[];
  /** Reasons that reject the item at every threshold (not liveness or realness). */
  readonly gatedBy: readonly ReasonCode[];
  /** `accepted` (classified bona fide) only when the outcome is `pass`. */
  readonly decision: "accepted" | "rejected";
  /** No sampled frame had a face. */
  readonly noFace: boolean;
  /** Recorded sessions only: the policy the session was judged under. */
  readonly policy?: Policy;
  /** Recorded sessions only: what the live server decided; `null` when not recorded. */
  readonly serverDecision?: {
    readonly decision: Decision;
    readonly reasons: readonly ReasonCode[];
  } | null;
  /**
   * Recorded sessions only: the replay's decision and reasons (as a set) equal the live
   * server's; `null` without a recorded decision or when judged under another policy.
   */
  readonly reproduces?: boolean | null;
}

/** How many replayed sessions reproduce the live server's decision (`pnpm eval --sessions`). */
export interface ReproductionCounts {
  /** Same decision and reasons as the live server. */
  readonly reproduced: number;
  /** Another decision or other reasons. */
  readonly mismatched: number;
  /** No recorded decision, or judged under another policy than the live server's. */
  readonly unknown: number;
}

/** `report.json`. */
export interface EvalReport {
  readonly tool: "@lumen/eval";
  /**
   * `data`: the passive re-check of image and video files (`--data`); `sessions`: the full
   * decision replayed on recorded sessions (`--sessions`).
   */
  readonly mode: "data" | "sessions";
  readonly createdAt: string;
  /** The folder evaluated (`--data` or `--sessions`). */
  readonly dataDir: string;
  /** `recorded`: each session judged under its own recorded policy (sessions mode). */
  readonly policy: Policy | "recorded";
  /** Threshold in force on the combined score (`combined ≥ threshold` ⇔ no liveness/realness reason). */
  readonly threshold: number;
  /** The policy's thresholds; `null` when each session's own policy applies. */
  readonly decisionThresholds: DecisionThresholds | null;
  /** How videos were sampled; `null` for recorded sessions (their frames as uploaded). */
  readonly sampling: {
    readonly videoFps: number;
    readonly maxVideoFrames: number;
    readonly videoScore: string;
  } | null;
  /** Sessions mode: how many replays reproduce the live server's decision; `null` otherwise. */
  readonly sessions: ReproductionCounts | null;
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
  /**
   * Data mode: every passive model alone and the fusion cross-validated, on the supported input
   * (camera frames and photos with context) and, apart, on face-only crops; `null` for sessions.
   */
  readonly passive: {
    readonly maxContextFaceSize: number;
    readonly supported: PassiveScoreReport;
    readonly faceOnlyCrops: PassiveScoreReport;
    readonly faceOnlyCropItems: readonly string[];
  } | null;
  readonly items: readonly ItemResult[];
  readonly noFace: readonly string[];
  readonly skipped: readonly SkippedItem[];
}
