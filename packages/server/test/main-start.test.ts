import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../test/src/harness/free-port.ts";
import {
  MINIFASNET_FILE,
  minifasnetDeclaration,
  writeDeclarations,
} from "./support/operator-model.ts";

// `pnpm server` as an operator runs it: `tsx src/main.ts` with the environment as configuration.
const SERVER_DIR = new URL("..", import.meta.url).pathname;
const START_TIMEOUT_MS = 60_000;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lumen-main-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Started {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Starts `main.ts` with `LUMEN_PASSIVE_MODELS` set to `declarations`; resolves when it exits,
 * or once it listens (then stops it with SIGTERM).
 */
async function start(name: string, declarations: unknown): Promise<Started> {
  const dir = join(root, name);
  await mkdir(dir);
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    LUMEN_DEMO: "1",
    LUMEN_PORT: String(await freePort()),
    LUMEN_DATA_DIR: join(dir, "data"),
    LUMEN_PASSIVE_MODELS: await writeDeclarations(dir, declarations),
  };
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: SERVER_DIR,
    env,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('"msg":"listening"')) child.kill("SIGTERM");
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), START_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe("main.ts with LUMEN_PASSIVE_MODELS", () => {
  it("starts and listens with a declared model that matches its pin", async () => {
    const started = await start("valid", [minifasnetDeclaration()]);
    expect(started.stdout).toContain('"msg":"listening"');
    expect(started.code).toBe(0);
  });

  it("refuses to start when the model file differs from its pin by one byte", async () => {
    const tampered = await readFile(MINIFASNET_FILE);
    const middle = tampered.length >> 1;
    tampered.writeUInt8(tampered.readUInt8(middle) ^ 0x01, middle);
    await writeFile(join(root, "tampered.onnx"), tampered);
    const started = await start("tampered", [
      { ...minifasnetDeclaration(), file: "../tampered.onnx" },
    ]);
    expect(started.code).toBe(1);
    expect(started.stdout).not.toContain("listening");
    expect(started.stderr).toMatch(/Invalid Lumen configuration:\n.*\[0\]\.file: .* has SHA-256/);
  });

  it("refuses to start with a wrong SHA-256 and with a missing file", async () => {
    const wrongPin = await start("wrong-pin", [
      { ...minifasnetDeclaration(), sha256: "0".repeat(64) },
    ]);
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr).toMatch(/expected 0{64}/);
    const missing = await start("missing", [{ ...minifasnetDeclaration(), file: "gone.onnx" }]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).not.toContain("listening");
    expect(missing.stderr).toContain(
      `[0].file: ${join(root, "missing", "gone.onnx")} does not exist`,
    );
  });
});
