import { constants } from "node:fs";
import { access, stat, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { collectItems } from "./collect-items.ts";
import { analyseItems } from "./evaluate.ts";
import { calibrateFusion } from "./fusion/calibrate-fusion.ts";
import { FUSION_RECIPE } from "./fusion/fusion-recipe.ts";
import { hashDataFiles } from "./fusion/hash-data-files.ts";
import type { CliIo } from "./cli.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DEFAULT_OUT = join(REPO_ROOT, "packages", "core", "src", "passive", "passive-fusion.json");

/** Usage of `pnpm calibrate`. */
export const CALIBRATE_USAGE = `Usage: pnpm calibrate --data DIR [--eval DIR] [--out FILE]

  --data DIR   labelled data to fit the passive fusion on, laid out as for pnpm eval --data
  --eval DIR   the data the fusion will be evaluated on: refused if any file of it is also in
               --data (same SHA-256)
  --out FILE   where the fusion is written (default: @lumen/core's passive-fusion.json)
  --help       show this text`;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

// Checked before the models run, so a typo costs no analysis.
async function folderProblem(flag: string, dir: string): Promise<string | null> {
  const found = await stat(dir).catch(() => null);
  if (!found) return `${flag}: ${dir} does not exist`;
  return found.isDirectory() ? null : `${flag}: ${dir} is not a folder`;
}

async function outProblem(out: string): Promise<string | null> {
  if ((await stat(out).catch(() => null))?.isDirectory()) return `--out: ${out} is a folder`;
  const folder = dirname(out);
  if (!(await stat(folder).catch(() => null))?.isDirectory()) {
    return `--out: the folder ${folder} does not exist`;
  }
  return access(folder, constants.W_OK).then(
    () => null,
    () => `--out: cannot write to ${folder}`,
  );
}

/**
 * `pnpm calibrate`: runs the server's passive models on every item of `--data`, fits the
 * passive fusion (`calibrateFusion` with `FUSION_RECIPE`) and writes it as JSON.
 *
 * @example
 * ```ts
 * process.exitCode = await calibrateMain(process.argv.slice(2), io);
 * ```
 */
export async function calibrateMain(argv: readonly string[], io: CliIo): Promise<number> {
  let values: { data?: string; eval?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv[0] === "--" ? argv.slice(1) : [...argv],
      options: {
        data: { type: "string" },
        eval: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    io.stderr.write(`${message(err)}\n${CALIBRATE_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`${CALIBRATE_USAGE}\n`);
    return 0;
  }
  if (!values.data) {
    io.stderr.write(`--data is required\n${CALIBRATE_USAGE}\n`);
    return 2;
  }
  const abs = (path: string): string => (isAbsolute(path) ? path : resolve(io.cwd, path));
  const dataDir = abs(values.data);
  const evalDir = values.eval ? abs(values.eval) : null;
  const out = values.out ? abs(values.out) : DEFAULT_OUT;
  const problem =
    (await folderProblem("--data", dataDir)) ??
    (evalDir && (await folderProblem("--eval", evalDir))) ??
    (await outProblem(out));
  if (problem) {
    io.stderr.write(`${problem}\n${CALIBRATE_USAGE}\n`);
    return 2;
  }
  try {
    const { items: found, skipped } = await collectItems(dataDir);
    const hashes = await hashDataFiles(found);
    if (evalDir) {
      const evalItems = (await collectItems(evalDir)).items;
      const evalHashes = new Set((await hashDataFiles(evalItems)).files.values());
      const shared = [...hashes.files].filter(([, hash]) => evalHashes.has(hash));
      if (shared.length > 0) {
        io.stderr.write(
          `--data and --eval share ${shared.length} file(s) (e.g. ${shared[0]?.[0]}): a fusion fitted on evaluation data cannot be evaluated on it\n`,
        );
        return 2;
      }
    }
    const items = await analyseItems(found, skipped, {
      modelDir: io.modelDir ?? join(REPO_ROOT, "models", "dist"),
      policy: "standard",
      stderr: io.stderr,
    });
    const fusion = calibrateFusion(items, FUSION_RECIPE, { dataSha256: hashes.dataSha256 });
    await writeFile(out, `${JSON.stringify(fusion, null, 2)}\n`);
    io.stdout.write(
      `Fitted on ${fusion.fit.bonaFide} bona fide and ${fusion.fit.attacks} attack items: cross-validated AUC ${fusion.fit.cvAuc.toFixed(3)}, EER ${(fusion.fit.cvEer * 100).toFixed(1)} %; written to ${out}\n`,
    );
    return 0;
  } catch (err) {
    io.stderr.write(`calibrate failed: ${message(err)}\n`);
    return 1;
  }
}
