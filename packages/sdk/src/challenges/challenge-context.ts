import type { ChallengeDisplay } from "../challenge-display.ts";
import type { ChallengeStep } from "../liveness-events.ts";

/** The side effects a challenge runner may use, all injected by the session. */
export interface ChallengeContext {
  readonly display: ChallengeDisplay;
  readonly clock: () => number;
  /** Resolves after `ms`; rejects with `CANCELLED` when the session is cancelled. */
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Tells the evidence collector which phase frames belong to; the phase keeps frames captured
   * from `evidenceFromMs` (epoch ms; by default at once, `Infinity`: not until
   * {@link ChallengeContext.collectEvidenceFrom}).
   */
  readonly enterPhase: (phase: string, evidenceFromMs?: number) => void;
  /**
   * Sets when the current phase's evidence begins (epoch ms of the capture) and, optionally,
   * when it ends, to spread the phase's frames over that time (`EvidenceCollector.collectFrom`).
   */
  readonly collectEvidenceFrom: (fromMs: number, untilMs?: number) => void;
  readonly onStep: (step: ChallengeStep) => void;
}
