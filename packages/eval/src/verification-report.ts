import type { Policy } from "@lumen/protocol";
import type { SkippedItem } from "./collect-items.ts";
import type { EVAL_LIMITS } from "./eval-limits.ts";
import type { Provenance } from "./provenance.ts";
import type { VerificationPoint } from "./verification-metrics.ts";

/** One image of `pnpm eval --identities`, and whether it gave a template. */
export interface IdentityImageResult {
  /** Relative to the identities folder. */
  readonly path: string;
  readonly person: string;
  /** A face was found and embedded. */
  readonly enrolled: boolean;
  /** Why it was not enrolled (undecodable, no usable face); `null` when enrolled. */
  readonly failure: string | null;
}

/** Smallest, median and largest distance of one kind of pair; `null` without pairs. */
export type DistanceSummary = {
  readonly min: number;
  readonly median: number;
  readonly max: number;
} | null;

/** `report.json` of `pnpm eval --identities`: ISO/IEC 19795-1 verification measures. */
export interface VerificationReport {
  readonly tool: "@lumen/eval";
  readonly mode: "identities";
  readonly createdAt: string;
  /** The folder evaluated (`--identities`). */
  readonly dataDir: string;
  readonly provenance: Provenance;
  /** The face-recognition model the embeddings come from. */
  readonly model: { readonly id: string; readonly version: string; readonly sha256: string };
  /** How two images are compared. */
  readonly comparison: string;
  /**
   * The distance threshold in force by default (the `standard` policy's face match): a pair at
   * or below matches.
   */
  readonly threshold: number;
  /** Each policy's face-match threshold, the FMR it was set for, and the FMR and FNMR it gives here. */
  readonly policies: Readonly<
    Record<
      Policy,
      {
        readonly threshold: number;
        readonly fmrSetFor: number;
        readonly fmr: number | null;
        readonly fnmr: number | null;
      }
    >
  >;
  readonly sampling: {
    readonly genuinePairs: string;
    readonly impostorPairs: string;
    /** Impostor pairs there were in all (`impostorPairs` in `verification` is how many were compared). */
    readonly impostorPairsAvailable: number;
    readonly sampled: boolean;
  };
  readonly limits: typeof EVAL_LIMITS;
  readonly counts: {
    readonly persons: number;
    readonly images: number;
    readonly enrolled: number;
    /** Images read but without a template (undecodable or no face): failure to enrol. */
    readonly failureToEnrol: number;
    /** `failureToEnrol / images`. */
    readonly failureToEnrolRate: number;
    readonly skipped: number;
  };
  readonly verification: {
    readonly genuinePairs: number;
    readonly impostorPairs: number;
    /** At the threshold in force; `null` without impostor pairs. */
    readonly fmr: number | null;
    /** At the threshold in force; `null` without genuine pairs. */
    readonly fnmr: number | null;
    readonly eer: number | null;
    /** FNMR at the most lenient threshold whose FMR is at most 1 % and 0.1 %. */
    readonly fnmrAtFmr: Readonly<Record<"0.01" | "0.001", VerificationPoint | null>>;
    /** The DET curve; the strictest threshold (−∞) is written as `null`. */
    readonly det: readonly VerificationPoint[];
    readonly distances: { readonly genuine: DistanceSummary; readonly impostor: DistanceSummary };
  };
  readonly images: readonly IdentityImageResult[];
  readonly skipped: readonly SkippedItem[];
}
