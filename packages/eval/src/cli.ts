import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPassiveModelDeclarations, type OperatorPassiveModel } from "@lumen/server";
import { evaluateIdentities } from "./evaluate-identities.ts";
import { evaluateSessions } from "./evaluate-sessions.ts";
import { evaluate } from "./evaluate.ts";
import { parseArgs, USAGE, type EvalArgs, type IdentitiesArgs } from "./parse-args.ts";
import type { ProgressStream } from "./progress.ts";
import { renderHtml } from "./render-html.ts";
import { renderVerificationHtml } from "./render-verification-html.ts";

/** What {@link main} talks to; `process` in production, buffers in tests. */
export interface CliIo {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
  /** Relative paths resolve against this (`INIT_CWD`, where pnpm was started). */
  readonly cwd: string;
  /** The folder `pnpm models` builds into; the repository's `models/dist` by default. */
  readonly modelDir?: string;
}

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Exit status of a bad command line or unusable folder. */
export const EXIT_USAGE = 2;
/** Exit status of a run that could not evaluate anything. */
export const EXIT_FAILED = 1;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function checkFolders(args: EvalArgs): Promise<string | null> {
  const [flag, dir] =
    args.mode === "data"
      ? ["--data", args.dataDir]
      : args.mode === "sessions"
        ? ["--sessions", args.sessionsDir]
        : ["--identities", args.identitiesDir];
  const data = await stat(dir).catch(() => null);
  if (!data) return `${flag}: ${dir} does not exist`;
  if (!data.isDirectory()) return `${flag}: ${dir} is not a folder`;
  try {
    await mkdir(args.outDir, { recursive: true });
    // Write a probe now rather than fail after the whole (long) run.
    const probe = join(args.outDir, `.lumen-eval-${process.pid}`);
    await writeFile(probe, "");
    await rm(probe);
  } catch (err) {
    return `--out: cannot write to ${args.outDir} (${message(err)})`;
  }
  return null;
}

async function runIdentities(args: IdentitiesArgs, io: CliIo): Promise<number> {
  let report: Awaited<ReturnType<typeof evaluateIdentities>>;
  try {
    report = await evaluateIdentities({
      identitiesDir: args.identitiesDir,
      modelDir: io.modelDir ?? join(REPO_ROOT, "models", "dist"),
      repoRoot: REPO_ROOT,
      stderr: io.stderr,
    });
  } catch (err) {
    io.stderr.write(`lumen eval: ${message(err)}\n`);
    return EXIT_FAILED;
  }
  const jsonPath = join(args.outDir, "report.json");
  const htmlPath = join(args.outDir, "report.html");
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(htmlPath, renderVerificationHtml(report));
  const { counts, verification: v } = report;
  const pct = (value: number | null | undefined): string =>
    value === null || value === undefined ? "n/a" : `${(value * 100).toFixed(2)}%`;
  io.stdout.write(
    [
      `${counts.images} images of ${counts.persons} persons, ${counts.enrolled} enrolled, ${counts.failureToEnrol} failed to enrol, ${counts.skipped} skipped`,
      `${v.genuinePairs} genuine pairs, ${v.impostorPairs} impostor pairs${report.sampling.sampled ? " (sampled)" : ""}`,
      `at threshold ${report.threshold}: FMR ${pct(v.fmr)}  FNMR ${pct(v.fnmr)}`,
      `FNMR@FMR1% ${pct(v.fnmrAtFmr["0.01"]?.fnmr)}  FNMR@FMR0.1% ${pct(v.fnmrAtFmr["0.001"]?.fnmr)}  EER ${pct(v.eer)}`,
      `wrote ${jsonPath}`,
      `wrote ${htmlPath}`,
      "",
    ].join("\n"),
  );
  if (v.genuinePairs === 0 || v.impostorPairs === 0) {
    io.stderr.write(
      "lumen eval: no genuine or no impostor pair could be formed (see the failures to enrol in the report)\n",
    );
    return EXIT_FAILED;
  }
  return 0;
}

/**
 * The `pnpm eval` command: parses the arguments, evaluates the data folder (`--data`),
 * replays the recorded sessions (`--sessions`) or compares the faces of an identity set
 * (`--identities`) and writes
 * `report.json` and `report.html` into the output folder. Returns the exit status: 0 on
 * success, 1 when nothing could be evaluated or the models failed to load, 2 for a bad
 * command line, folder or `--passive-models` file.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv, io.cwd);
  } catch (err) {
    io.stderr.write(`lumen eval: ${message(err)}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if ("help" in parsed) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const problem = await checkFolders(parsed);
  if (problem) {
    io.stderr.write(`lumen eval: ${problem}\n`);
    return EXIT_USAGE;
  }
  if (parsed.mode === "identities") return runIdentities(parsed, io);
  let operatorModels: readonly OperatorPassiveModel[] = [];
  if (parsed.mode === "data" && parsed.passiveModelsFile !== null) {
    try {
      operatorModels = await loadPassiveModelDeclarations(parsed.passiveModelsFile);
    } catch (err) {
      io.stderr.write(`lumen eval: --passive-models: ${message(err)}\n`);
      return EXIT_USAGE;
    }
  }
  let report: Awaited<ReturnType<typeof evaluate>>;
  try {
    const common = {
      modelDir: io.modelDir ?? join(REPO_ROOT, "models", "dist"),
      repoRoot: REPO_ROOT,
      stderr: io.stderr,
    };
    report =
      parsed.mode === "data"
        ? await evaluate({
            ...common,
            dataDir: parsed.dataDir,
            policy: parsed.policy,
            operatorModels,
          })
        : await evaluateSessions({
            ...common,
            sessionsDir: parsed.sessionsDir,
            policy: parsed.policy,
          });
  } catch (err) {
    io.stderr.write(`lumen eval: ${message(err)}\n`);
    return EXIT_FAILED;
  }
  const jsonPath = join(parsed.outDir, "report.json");
  const htmlPath = join(parsed.outDir, "report.html");
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(htmlPath, renderHtml(report));
  const pct = (v: number | null): string => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);
  io.stdout.write(
    [
      `${report.counts.evaluated} ${report.mode === "sessions" ? "sessions" : "items"} (${report.counts.bonaFide} bona fide, ${report.counts.attack} attacks), ${report.counts.noFace} without a face, ${report.counts.skipped} skipped`,
      ...(report.sessions
        ? [
            `live decisions reproduced ${report.sessions.reproduced}, mismatched ${report.sessions.mismatched}, not recorded ${report.sessions.unknown}`,
          ]
        : []),
      `APCERmax ${pct(report.apcerMax)}${report.apcerMaxSpecies ? ` (${report.apcerMaxSpecies})` : ""}  BPCER ${pct(report.bpcer)}  ACER ${pct(report.acer)}  EER ${pct(report.eer)}  AUC ${report.auc?.toFixed(3) ?? "n/a"}`,
      `wrote ${jsonPath}`,
      `wrote ${htmlPath}`,
      "",
    ].join("\n"),
  );
  if (report.counts.evaluated === 0) {
    io.stderr.write("lumen eval: no item could be evaluated (see skipped in the report)\n");
    return EXIT_FAILED;
  }
  return 0;
}
