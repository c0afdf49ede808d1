// `pnpm bench`: the SDK's and the server's figures, each against a raw baseline measured in the
// same run. One JSON line per figure on stdout (and in bench/results/), progress on stderr.
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { TEST_ROOT } from "../src/harness/index.ts";
import { createFigureLog, progress } from "./lib/figures.ts";
import { benchBrowser } from "./browser-bench.ts";
import { benchServer } from "./server-bench.ts";
import { benchSizes } from "./size-bench.ts";

const SECTIONS = ["sizes", "server", "browser"] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({ options: { only: { type: "string", multiple: true } } });
const only = values.only ?? [...SECTIONS];
for (const name of only) {
  if (!SECTIONS.includes(name as Section)) {
    throw new TypeError(`--only takes ${SECTIONS.join(", ")}; got ${name}`);
  }
}

const at = new Date();
const log = createFigureLog();
const startedAt = performance.now();
// Other work on the machine moves every absolute figure; the ratios hold better. Say how busy.
const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(" ");
progress(`${availableParallelism()} cores, load average ${load()}; sections: ${only.join(", ")}`);
if (only.includes("sizes")) log.add(...(await benchSizes()));
if (only.includes("server")) log.add(...(await benchServer()));
if (only.includes("browser")) log.add(...(await benchBrowser()));
const file = await log.write(join(TEST_ROOT, "bench/results"), at);
progress(
  `${log.figures.length} figures in ${((performance.now() - startedAt) / 1000).toFixed(0)} s → ${file}`,
);
