import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PassiveFusion } from "@lumen/core";
import { calibrateMain, CALIBRATE_USAGE } from "../src/calibrate-cli.ts";
import { FUSION_RECIPE } from "../src/fusion/fusion-recipe.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const stills = join(repoRoot, "..", "shared", "media", "stills");

// Six bona fide and five attack stills, each renamed to its own source so that grouped folds
// keep both classes outside every fold.
const DATA: Record<string, readonly string[]> = {
  "bona-fide/still": [
    "silentface-image_T1.jpg",
    "mesonet-real00240.jpg",
    "mesonet-real00772.jpg",
    "human-person-celeste.jpg",
    "human-person-lexi.jpg",
    "human-person-vlado.jpg",
  ],
  "attack/print": ["silentface-image_F1.jpg"],
  "attack/replay": ["silentface-image_F2.jpg"],
  "attack/deepfake": ["mesonet-df00204.jpg", "mesonet-df01254.jpg"],
  "attack/synthetic": ["human-ai-face.jpg"],
};

let root: string;

async function arrange(dir: string, layout: Record<string, readonly string[]>): Promise<void> {
  let source = 0;
  for (const [folder, files] of Object.entries(layout)) {
    await mkdir(join(root, dir, folder), { recursive: true });
    for (const file of files) {
      await symlink(join(stills, file), join(root, dir, folder, `src${source++}-${file}`));
    }
  }
}

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await calibrateMain(argv, {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    cwd: root,
  });
  return { code, out, err };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lumen-calibrate-"));
  await arrange("data", DATA);
  // Shares one file with data (a different name, the same bytes).
  await arrange("overlapping", { "attack/print": ["human-person-vlado.jpg"] });
  await arrange("held-out", { "bona-fide/still": ["human-group-1.jpg"] });
  await mkdir(join(root, "out"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("pnpm calibrate's command line", () => {
  it("prints the usage for --help and exits 0", async () => {
    const { code, out } = await run(["--help"]);
    expect(code).toBe(0);
    expect(out).toBe(`${CALIBRATE_USAGE}\n`);
  });

  it.each([
    [[], "--data is required"],
    [["--", "--out", "out/f.json"], "--data is required"],
    [["--data", "data", "--folds", "3"], "Unknown option '--folds'"],
    [["--data", "data", "extra"], "Unexpected argument 'extra'"],
    [["--data"], "Option '--data <value>' argument missing"],
    [["--data", "data/bona-fide/still/src0-silentface-image_T1.jpg"], "is not a folder"],
    [["--data", "data", "--eval", "nowhere"], "nowhere does not exist"],
    [["--data", "data", "--out", "no-such-folder/fusion.json"], "no-such-folder does not exist"],
    [["--data", "data", "--out", "out"], "out is a folder"],
  ])("refuses %j with exit 2 and a message", async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain("Usage: pnpm calibrate");
  });

  it("names a missing data folder by its full path", async () => {
    const { code, err } = await run(["--data", "missing"]);
    expect(code).toBe(2);
    expect(err).toContain(`--data: ${join(root, "missing")} does not exist`);
  });

  it("refuses --eval data sharing a file with --data, naming it, before any work", async () => {
    const { code, err } = await run([
      "--data",
      "data",
      "--eval",
      "overlapping",
      "--out",
      "out/refused.json",
    ]);
    expect(code).toBe(2);
    expect(err).toContain("--data and --eval share 1 file(s)");
    expect(err).toContain("bona-fide/still/src5-human-person-vlado.jpg");
    expect(await readdir(join(root, "out"))).not.toContain("refused.json");
  });
});

describe("pnpm calibrate on eleven stills", () => {
  it("fits and writes a fusion of every passive model", async () => {
    const { code, out, err } = await run([
      "--data",
      "data",
      "--eval",
      "held-out",
      "--out",
      "out/fusion.json",
    ]);
    expect(code, err).toBe(0);
    const written = join(root, "out", "fusion.json");
    expect(out).toContain(`Fitted on 6 bona fide and 5 attack items`);
    expect(out).toContain(written);
    const fusion = JSON.parse(await readFile(written, "utf8")) as PassiveFusion;
    expect(fusion.features).toEqual(FUSION_RECIPE.features);
    expect(fusion.features).toHaveLength(8);
    for (const list of [fusion.means, fusion.stds, fusion.weights]) {
      expect(list).toHaveLength(8);
      for (const v of list) expect(Number.isFinite(v)).toBe(true);
    }
    expect(Number.isFinite(fusion.intercept)).toBe(true);
    expect(Object.keys(fusion.operatingPoints).sort()).toEqual(["high", "no-flash", "standard"]);
    expect(fusion.fit).toMatchObject({ bonaFide: 6, attacks: 5, folds: 5, l2: 1 });
    expect(fusion.fit.dataSha256).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});
