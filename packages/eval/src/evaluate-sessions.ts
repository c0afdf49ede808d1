import { DECISION_THRESHOLDS } from "@lumen/core";
import type { Policy, ReasonCode } from "@lumen/protocol";
import { createOnnxFrameAnalyzer, type FrameAnalyzer } from "@lumen/server";
import type { SkippedItem } from "./collect-items.ts";
import { collectSessionFolders, type SessionFolder } from "./collect-sessions.ts";
import { buildReport } from "./evaluate.ts";
import { combinedScore, SCORED_REASONS } from "./passive-assessment.ts";
import { createProgress, type ProgressStream } from "./progress.ts";
import { collectProvenance } from "./provenance.ts";
import { readRecordedSession } from "./recorded-session-folder.ts";
import { replayRecordedSession } from "./replay-session.ts";
import type { EvalReport, ItemResult } from "./report.ts";

/** Inputs of {@link evaluateSessions}; paths absolute. */
export interface EvaluateSessionsOptions {
  readonly sessionsDir: string;
  /** Judge every session under this policy; `null` (default) uses each session's own, as the server did. */
  readonly policy?: Policy | null;
  readonly modelDir: string;
  readonly repoRoot: string;
  /** Progress and skipped sessions go here (`process.stderr`). */
  readonly stderr: ProgressStream;
  /** Test seam for `createdAt`. */
  readonly now?: () => Date;
}

const sameReasons = (a: readonly ReasonCode[], b: readonly ReasonCode[]): boolean => {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((reason, i) => reason === right[i]);
};

/**
 * Reads, checks and replays one recorded session and describes it as a report item.
 *
 * @throws {TypeError} When the session is corrupt, mislabelled, or the server would have refused it.
 */
export async function evaluateSessionFolder(
  folder: SessionFolder,
  analyse: FrameAnalyzer["analyse"],
  policyOverride: Policy | null = null,
): Promise<ItemResult> {
  const data = await readRecordedSession(folder.absolutePath);
  const { label, serverDecision } = data.session;
  // The folder is the data set's truth: a session.json that says otherwise is a mistake.
  if (label.kind !== folder.class) {
    throw new TypeError(`labelled ${label.kind} but stored under ${folder.class}/`);
  }
  if (folder.species !== null && label.species !== folder.species) {
    throw new TypeError(`labelled species "${label.species}" but stored under ${folder.species}/`);
  }
  const { policy, frames, assessment } = await replayRecordedSession(
    data,
    analyse,
    policyOverride ?? data.session.policy,
  );
  const liveness = assessment.scores.livenessMedian ?? null;
  const realness = assessment.scores.realnessMedian ?? null;
  const faces = frames.filter((frame) => frame.face !== null).length;
  return {
    path: folder.path,
    class: folder.class,
    species: label.species,
    media: "session",
    frames: frames.length,
    faces,
    liveness,
    realness,
    combined:
      liveness === null || realness === null
        ? null
        : combinedScore(liveness, realness, DECISION_THRESHOLDS[policy]),
    outcome: assessment.decision,
    reasons: assessment.reasons,
    gatedBy: assessment.reasons.filter((reason) => !SCORED_REASONS.includes(reason)),
    decision: assessment.decision === "pass" ? "accepted" : "rejected",
    noFace: faces === 0,
    policy,
    serverDecision: serverDecision ?? null,
    reproduces:
      serverDecision === undefined || policy !== data.session.policy
        ? null
        : serverDecision.decision === assessment.decision &&
          sameReasons(serverDecision.reasons, assessment.reasons),
  };
}

/**
 * `pnpm eval --sessions DIR`: replays every recorded session under `DIR` (`bona-fide/…`,
 * `attack/<species>/…`) through the verification server's full decision (challenge checks
 * included) and builds the ISO/IEC 30107-3 report on the decisions: a session is accepted iff
 * its decision is `pass`. Never throws for a bad session: it is reported on `stderr` and listed
 * in `skipped`.
 *
 * @throws {Error} When the folder holds no recorded session, or the models cannot be loaded.
 * @example
 * ```ts
 * const report = await evaluateSessions({ sessionsDir, modelDir, repoRoot, stderr: process.stderr });
 * report.sessions; // { reproduced, mismatched, unknown }
 * ```
 */
export async function evaluateSessions(options: EvaluateSessionsOptions): Promise<EvalReport> {
  const { sessions: found, skipped } = await collectSessionFolders(options.sessionsDir);
  const policyOverride = options.policy ?? null;
  if (found.length === 0) {
    throw new Error(
      `No recorded session found in ${options.sessionsDir} (expected bona-fide/<session>/session.json and attack/<species>/<session>/session.json)`,
    );
  }
  const provenance = await collectProvenance(options.repoRoot, options.modelDir);
  const analyzer = await createOnnxFrameAnalyzer({ modelDir: options.modelDir });
  const progress = createProgress(options.stderr, found.length);
  for (const entry of skipped) progress.note(`skipped ${entry.path}: ${entry.error}`);
  const items: ItemResult[] = [];
  const failed: SkippedItem[] = [...skipped];
  try {
    for (const folder of found) {
      try {
        const item = await evaluateSessionFolder(
          folder,
          (frame, analyseOptions) => analyzer.analyse(frame, analyseOptions),
          policyOverride,
        );
        items.push(item);
        const check =
          item.reproduces === null ? "" : item.reproduces ? ", reproduced" : ", MISMATCH";
        progress.tick(folder.path, `${item.decision} (${item.outcome}${check})`);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        failed.push({ path: folder.path, error });
        progress.note(`skipped ${folder.path}: ${error}`);
        progress.tick(folder.path, "skipped");
      }
    }
  } finally {
    progress.done();
    await analyzer.close();
  }
  return buildReport(items, failed, {
    mode: "sessions",
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    dataDir: options.sessionsDir,
    policy: policyOverride ?? "recorded",
    provenance,
  });
}
