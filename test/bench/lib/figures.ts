// Figures, statistics and the results file of `pnpm bench`.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** One measured figure; `baseline` and `ratio` (value / baseline) where a baseline applies. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly ratio?: number;
}

/** The value at quantile `q` (0..1) of `values`, nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The median of `values` (the lower middle one for an even count). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

const round = (value: number): number => Number(value.toPrecision(4));

/**
 * A figure rounded to four significant digits, with `ratio = value / baseline` when a
 * baseline is given.
 *
 * @example
 * ```ts
 * figure("server.token.verify", 5120, "ops/s", 6400); // ratio 0.8
 * ```
 */
export function figure(name: string, value: number, unit: string, baseline?: number): Figure {
  if (!Number.isFinite(value)) throw new Error(`${name}: no value measured (${value})`);
  if (baseline === undefined) return { name, value: round(value), unit };
  return {
    name,
    value: round(value),
    unit,
    baseline: round(baseline),
    ratio: round(value / baseline),
  };
}

/** Progress on stderr, so stdout holds only the figures. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Prints each figure as one JSON line on stdout as it comes, and keeps it for the file. */
export function createFigureLog() {
  const figures: Figure[] = [];
  return {
    figures,
    add(...added: readonly Figure[]): void {
      for (const item of added) {
        figures.push(item);
        process.stdout.write(`${JSON.stringify(item)}\n`);
      }
    },
    /** Writes `bench-<ISO date>.jsonl` and `latest.jsonl` into `dir`; returns the dated path. */
    async write(dir: string, at: Date): Promise<string> {
      await mkdir(dir, { recursive: true });
      const text = figures.map((item) => JSON.stringify(item)).join("\n") + "\n";
      const dated = join(dir, `bench-${at.toISOString().replaceAll(":", "-")}.jsonl`);
      await writeFile(dated, text);
      await writeFile(join(dir, "latest.jsonl"), text);
      return dated;
    },
  };
}

/**
 * Runs `measured` and `baseline` alternately `rounds` times after `warmup` untimed pairs,
 * swapping which goes first each round so neither always runs on a cooler machine; returns
 * each side's samples.
 */
export async function interleave<T>(
  rounds: number,
  warmup: number,
  measured: () => Promise<T>,
  baseline: () => Promise<T>,
): Promise<{ measured: T[]; baseline: T[] }> {
  for (let i = 0; i < warmup; i++) {
    await measured();
    await baseline();
  }
  const out: { measured: T[]; baseline: T[] } = { measured: [], baseline: [] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      out.measured.push(await measured());
      out.baseline.push(await baseline());
    } else {
      out.baseline.push(await baseline());
      out.measured.push(await measured());
    }
  }
  return out;
}
