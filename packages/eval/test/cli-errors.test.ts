import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_FAILED, EXIT_USAGE, main } from "../src/cli.ts";
import { parseArgs } from "../src/parse-args.ts";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lumen-eval-args-"));
  await mkdir(join(root, "empty"));
  await mkdir(join(root, "only-junk", "attack", "print"), { recursive: true });
  await writeFile(join(root, "only-junk", "attack", "print", "readme.md"), "text");
  await writeFile(join(root, "a-file"), "x");
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    cwd: root,
  });
  return { code, out, err };
}

describe("parseArgs", () => {
  it("resolves relative paths against the caller's folder and defaults the policy", () => {
    expect(parseArgs(["--data", "set", "--out", "/abs/out"], "/home/me")).toEqual({
      mode: "data",
      dataDir: "/home/me/set",
      outDir: "/abs/out",
      policy: "standard",
      passiveModelsFile: null,
    });
  });

  it("accepts --flag=value, a policy, and a leading -- from pnpm", () => {
    expect(parseArgs(["--", "--data=d", "--out=o", "--policy=high"], "/w")).toEqual({
      mode: "data",
      dataDir: "/w/d",
      outDir: "/w/o",
      policy: "high",
      passiveModelsFile: null,
    });
  });

  it("takes --passive-models with --data, resolved like the folders", () => {
    expect(parseArgs(["--data", "d", "--out", "o", "--passive-models", "pm.json"], "/w")).toEqual({
      mode: "data",
      dataDir: "/w/d",
      outDir: "/w/o",
      policy: "standard",
      passiveModelsFile: "/w/pm.json",
    });
  });

  it("takes --sessions instead of --data, with each session's own policy unless one is given", () => {
    expect(parseArgs(["--sessions", "rec", "--out", "o"], "/w")).toEqual({
      mode: "sessions",
      sessionsDir: "/w/rec",
      outDir: "/w/o",
      policy: null,
    });
    expect(parseArgs(["--sessions=rec", "--out=o", "--policy=no-flash"], "/w")).toMatchObject({
      mode: "sessions",
      policy: "no-flash",
    });
  });

  it("takes --identities, with no policy", () => {
    expect(parseArgs(["--identities", "people", "--out=o"], "/w")).toEqual({
      mode: "identities",
      identitiesDir: "/w/people",
      outDir: "/w/o",
    });
  });

  it.each([
    [[], "--data DIR, --sessions DIR or --identities DIR is required"],
    [
      ["--data", "d", "--sessions", "s", "--out", "o"],
      "--data and --sessions cannot be given together",
    ],
    [
      ["--identities", "i", "--data", "d", "--out", "o"],
      "--data and --identities cannot be given together",
    ],
    [
      ["--identities", "i", "--out", "o", "--policy", "high"],
      "--policy does not apply to --identities",
    ],
    [["--sessions", "s", "--sessions", "t", "--out", "o"], "--sessions is given twice"],
    [["--data", "d"], "--out OUTDIR is required"],
    [["--data", "d", "--out"], "--out needs a value"],
    [["--data", "--out", "o"], "--data needs a value"],
    [["--data=", "--out", "o"], "--data needs a value"],
    [["--data", "d", "--out", "o", "--fast"], "Unknown flag --fast"],
    [["--data", "d", "--out", "o", "extra"], 'Unexpected argument "extra"'],
    [["--data", "d", "--data", "e", "--out", "o"], "--data is given twice"],
    [["--data", "d", "--out", "o", "--passive-models"], "--passive-models needs a value"],
    [
      ["--sessions", "s", "--out", "o", "--passive-models", "pm.json"],
      "--passive-models applies to --data only",
    ],
    [
      ["--data", "d", "--out", "o", "--policy", "lax"],
      '--policy must be one of standard, high, no-flash, got "lax"',
    ],
  ])("refuses %j", (argv, message) => {
    expect(() => parseArgs(argv, "/w")).toThrow(new TypeError(message));
  });
});

describe("pnpm eval errors", () => {
  it("prints the usage for --help and exits 0", async () => {
    const { code, out } = await run(["--help"]);
    expect(code).toBe(0);
    expect(out).toContain("Usage: pnpm eval --data DIR --out OUTDIR");
  });

  it("exits 2 with the message and the usage on a bad flag", async () => {
    const { code, err } = await run(["--data", "empty", "--out", "out", "--verbose"]);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain("lumen eval: Unknown flag --verbose");
    expect(err).toContain("Usage:");
  });

  it("exits 2 when DIR does not exist or is a file", async () => {
    const sessions = await run(["--sessions", "nowhere", "--out", "out"]);
    expect(sessions.code).toBe(EXIT_USAGE);
    expect(sessions.err).toContain(`--sessions: ${join(root, "nowhere")} does not exist`);
    const people = await run(["--identities", "nowhere", "--out", "out"]);
    expect(people.code).toBe(EXIT_USAGE);
    expect(people.err).toContain(`--identities: ${join(root, "nowhere")} does not exist`);
    const missing = await run(["--data", "nowhere", "--out", "out"]);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.err).toContain(`--data: ${join(root, "nowhere")} does not exist`);
    const file = await run(["--data", "a-file", "--out", "out"]);
    expect(file.code).toBe(EXIT_USAGE);
    expect(file.err).toContain("is not a folder");
  });

  it("exits 2 when OUTDIR cannot be written, before any work", async () => {
    const { code, err } = await run(["--data", "empty", "--out", "a-file/report"]);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain(`--out: cannot write to ${join(root, "a-file", "report")}`);
  });

  it("exits 2 with the problem when --passive-models is not a valid declaration file", async () => {
    const notJson = await run(["--data", "empty", "--out", "out", "--passive-models", "a-file"]);
    expect(notJson.code).toBe(EXIT_USAGE);
    expect(notJson.err).toContain(
      `lumen eval: --passive-models: LUMEN_PASSIVE_MODELS (${join(root, "a-file")}): the file is not JSON`,
    );
    await writeFile(join(root, "shipped-id.json"), JSON.stringify([{ id: "hyperfas" }]));
    const shipped = await run(["--data=empty", "--out=out", "--passive-models=shipped-id.json"]);
    expect(shipped.code).toBe(EXIT_USAGE);
    expect(shipped.err).toContain("[0].id: is a shipped model's id");
    const missing = await run(["--data", "empty", "--out", "out", "--passive-models", "no.json"]);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.err).toContain("the file cannot be read");
  });

  it("exits 1 when the sessions folder holds no recorded session, writing nothing", async () => {
    const out = join(root, "out-no-sessions");
    const { code, err } = await run(["--sessions", "only-junk", "--out", out]);
    expect(code).toBe(EXIT_FAILED);
    expect(err).toContain("No recorded session found");
    expect(await readdir(out)).toEqual([]);
  });

  it("exits 1 when DIR holds no image or video, writing nothing", async () => {
    for (const dir of ["empty", "only-junk"]) {
      const out = join(root, `out-${dir}`);
      const { code, err } = await run(["--data", dir, "--out", out]);
      expect(code).toBe(EXIT_FAILED);
      expect(err).toContain("No image or video found");
      expect(await readdir(out)).toEqual([]);
    }
  });

  it("exits 1 when the identities folder holds no image, writing nothing", async () => {
    for (const dir of ["empty", "only-junk"]) {
      const out = join(root, `out-identities-${dir}`);
      const { code, err } = await run(["--identities", dir, "--out", out]);
      expect(code).toBe(EXIT_FAILED);
      expect(err).toContain("No JPEG or PNG image found");
      expect(await readdir(out)).toEqual([]);
    }
  });
});
