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
  /** Absolute `--passive-models` file: the operator's own passive models, run too; or `null`. */
  readonly passiveModelsFile: string | null;
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

/** The command line, resolved: `--identities` (face verification on photos of people). */
export interface IdentitiesArgs {
  readonly mode: "identities";
  /** Absolute folder of `<person>/<image>`. */
  readonly identitiesDir: string;
  /** Absolute output folder. */
  readonly outDir: string;
}

/** The command line, resolved. */
export type EvalArgs = DataArgs | SessionsArgs | IdentitiesArgs;

/** `--help` was asked for. */
export interface HelpRequest {
  readonly help: true;
}

/** Usage text printed by `--help` and after an argument error. */
export const USAGE = `Usage: pnpm eval --data DIR --out OUTDIR [--policy standard|high|no-flash]
                 [--passive-models FILE]
       pnpm eval --sessions DIR --out OUTDIR [--policy standard|high|no-flash]
       pnpm eval --identities DIR --out OUTDIR

  --data DIR      labelled data: DIR/bona-fide/<species>/<file>, DIR/attack/<species>/<file>
                  (jpg, jpeg, png, mp4, mov, webm), judged by the server's passive re-check
  --sessions DIR  recorded sessions: DIR/bona-fide/<session>/, DIR/attack/<species>/<session>/
                  (session.json, frame-NN.jpg), judged by the server's full decision
  --identities DIR  photos of people: DIR/<person>/<image> (jpg, jpeg, png), compared by face
                  embedding (ISO/IEC 19795-1 verification error rates)
  --out OUTDIR    where report.json and report.html are written (created if missing)
  --policy NAME   decision policy whose thresholds are applied (default: standard for --data,
                  each session's recorded policy for --sessions; not for --identities)
  --passive-models FILE  with --data: also run the operator's own passive models declared in
                  FILE (the server's LUMEN_PASSIVE_MODELS format), reported like the others
  --help          show this text

Relative paths are resolved against the folder pnpm was started from.`;

/**
 * Parses `--data`, `--sessions` or `--identities`, `--out`, `--policy`, `--passive-models`
 * (also as `--flag=value`), resolving relative paths against `cwd`.
 *
 * @throws {TypeError} for a missing or repeated flag, more than one of `--data`, `--sessions`
 * and `--identities`, an unknown flag, a missing value, an unknown policy or a policy with
 * `--identities`, or `--passive-models` without `--data`.
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
    const match = /^--(data|sessions|identities|out|policy|passive-models)(?:=(.*))?$/.exec(arg);
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
  const identities = values.get("identities");
  const out = values.get("out");
  const modes = ["data", "sessions", "identities"].filter((mode) => values.has(mode));
  if (modes.length > 1) {
    throw new TypeError(`${modes.map((m) => `--${m}`).join(" and ")} cannot be given together`);
  }
  if (modes.length === 0) {
    throw new TypeError("--data DIR, --sessions DIR or --identities DIR is required");
  }
  if (out === undefined) throw new TypeError("--out OUTDIR is required");
  const given = values.get("policy");
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  const passiveModels = values.get("passive-models");
  if (passiveModels !== undefined && data === undefined) {
    throw new TypeError("--passive-models applies to --data only");
  }
  if (identities !== undefined) {
    if (given !== undefined) throw new TypeError("--policy does not apply to --identities");
    return { mode: "identities", identitiesDir: abs(identities), outDir: abs(out) };
  }
  const policy = Policy.safeParse(given ?? "standard");
  if (!policy.success) {
    throw new TypeError(
      `--policy must be one of ${Policy.options.join(", ")}, got "${given ?? ""}"`,
    );
  }
  if (sessions !== undefined) {
    return {
      mode: "sessions",
      sessionsDir: abs(sessions),
      outDir: abs(out),
      policy: given === undefined ? null : policy.data,
    };
  }
  return {
    mode: "data",
    dataDir: abs(data ?? ""),
    outDir: abs(out),
    policy: policy.data,
    passiveModelsFile: passiveModels === undefined ? null : abs(passiveModels),
  };
}
