import { isAbsolute, resolve } from "node:path";
import { Policy } from "@lumen/protocol";

/** The command line, resolved: `--data` (passive re-check of files). */
export interface DataArgs {
  readonly mode: "data";
  /** Absolute data folder. */
  readonly dataDir: string;
  /** Absolute output folder. */
  readonly outDir: string;
  readonly policy: Policy;
}

/** The command line, resolved: `--sessions` (full decision replayed on recorded sessions). */
export interface SessionsArgs {
  readonly mode: "sessions";
  /** Absolute folder of recorded sessions. */
  readonly sessionsDir: string;
  /** Absolute output folder. */
  readonly outDir: string;
  /** `null`: each session's own recorded policy (the default). */
  readonly policy: Policy | null;
}

/** The command line, resolved. */
export type EvalArgs = DataArgs | SessionsArgs;

/** `--help` was asked for. */
export interface HelpRequest {
  readonly help: true;
}

/** Usage text printed by `--help` and after an argument error. */
export const USAGE = `Usage: pnpm eval --data DIR --out OUTDIR [--policy standard|high|no-flash]
       pnpm eval --sessions DIR --out OUTDIR [--policy standard|high|no-flash]

  --data DIR      labelled data: DIR/bona-fide/<species>/<file>, DIR/attack/<species>/<file>
                  (jpg, jpeg, png, mp4, mov, webm), judged by the server's passive re-check
  --sessions DIR  recorded sessions: DIR/bona-fide/<session>/, DIR/attack/<species>/<session>/
                  (session.json, frame-NN.jpg), judged by the server's full decision
  --out OUTDIR    where report.json and report.html are written (created if missing)
  --policy NAME   decision policy whose thresholds are applied (default: standard for --data,
                  each session's recorded policy for --sessions)
  --help          show this text

Relative paths are resolved against the folder pnpm was started from.`;

/**
 * Parses `--data` or `--sessions`, `--out`, `--policy` (also as `--flag=value`), resolving
 * relative paths against `cwd`.
 *
 * @throws {TypeError} for a missing or repeated flag, both `--data` and `--sessions`, an unknown
 * flag, a missing value or an unknown policy.
 * @example
 * ```ts
 * parseArgs(["--data", "set", "--out", "out"], "/home/me"); // { dataDir: "/home/me/set", … }
 * ```
 */
export function parseArgs(argv: readonly string[], cwd: string): EvalArgs | HelpRequest {
  const values = new Map<string, string>();
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--help" || arg === "-h") return { help: true };
    const match = /^--(data|sessions|out|policy)(?:=(.*))?$/.exec(arg);
    if (!match) {
      throw new TypeError(
        arg.startsWith("-") ? `Unknown flag ${arg}` : `Unexpected argument "${arg}"`,
      );
    }
    const name = match[1] ?? "";
    let value = match[2];
    if (value === undefined) {
      value = args[i + 1];
      if (value === undefined || value.startsWith("--")) {
        throw new TypeError(`--${name} needs a value`);
      }
      i++;
    }
    if (value === "") throw new TypeError(`--${name} needs a value`);
    if (values.has(name)) throw new TypeError(`--${name} is given twice`);
    values.set(name, value);
  }
  const data = values.get("data");
  const sessions = values.get("sessions");
  const out = values.get("out");
  if (data !== undefined && sessions !== undefined) {
    throw new TypeError("--data and --sessions cannot be given together");
  }
  if (data === undefined && sessions === undefined) {
    throw new TypeError("--data DIR or --sessions DIR is required");
  }
  if (out === undefined) throw new TypeError("--out OUTDIR is required");
  const given = values.get("policy");
  const policy = Policy.safeParse(given ?? "standard");
  if (!policy.success) {
    throw new TypeError(
      `--policy must be one of ${Policy.options.join(", ")}, got "${given ?? ""}"`,
    );
  }
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  if (sessions !== undefined) {
    return {
      mode: "sessions",
      sessionsDir: abs(sessions),
      outDir: abs(out),
      policy: given === undefined ? null : policy.data,
    };
  }
  return { mode: "data", dataDir: abs(data ?? ""), outDir: abs(out), policy: policy.data };
}
