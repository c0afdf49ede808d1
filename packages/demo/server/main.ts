// `pnpm demo` (and `preview`): runs the Lumen verification server as a child process and the
// demo relying party beside it, with a fresh API key per run that only these two processes see.
// Flags: --site vite|static (static serves dist/), --port <demo port>, --lumen-port <port>.
// LUMEN_DEMO_RECORDINGS=<folder> turns on donated-session recording (`POST /rp/recordings`).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startDemoServer, type DemoServer } from "./start-demo-server.ts";

const HOST = "127.0.0.1";
const LUMEN_START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

const SERVER_MAIN = fileURLToPath(new URL("../../server/src/main.ts", import.meta.url));
const DIST = fileURLToPath(new URL("../dist", import.meta.url));
const TSX_CLI = createRequire(import.meta.url).resolve("tsx/cli");

function port(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d{1,5}$/.test(text) || value < 1 || value > 65_535) {
    process.stderr.write(`--${name} must be a port from 1 to 65535\n`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    site: { type: "string", default: "vite" },
    port: { type: "string", default: "5173" },
    "lumen-port": { type: "string", default: "8787" },
  },
});
if (values.site !== "vite" && values.site !== "static") {
  process.stderr.write("--site must be vite or static\n");
  process.exit(2);
}
const demoPort = port("port", values.port);
const lumenPort = port("lumen-port", values["lumen-port"]);
const lumenUrl = `http://${HOST}:${String(lumenPort)}`;
const apiKey = randomBytes(32).toString("base64url");
const dataDir = mkdtempSync(join(tmpdir(), "lumen-demo-"));
// Relative to where pnpm was started; kept when the demo stops (it is the point of recording).
const recordingsDir = process.env.LUMEN_DEMO_RECORDINGS
  ? resolve(process.env.INIT_CWD ?? process.cwd(), process.env.LUMEN_DEMO_RECORDINGS)
  : null;
if (recordingsDir !== null) mkdirSync(recordingsDir, { recursive: true });

let demo: DemoServer | null = null;
let lumen: ChildProcess | null = null;
let stopping: Promise<never> | null = null;

/** Stops both servers and deletes the data; repeated signals (Ctrl-C reaches the whole process group, and tsx relays it once more) wait for the first stop. */
function stop(exitCode: number): Promise<never> {
  stopping ??= (async () => {
    await demo?.close().catch(() => undefined);
    const child = lumen;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => {
        child.once("exit", () => {
          resolve();
        });
      });
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(exitCode);
  })();
  return stopping;
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

async function waitForLumen(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + LUMEN_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("the Lumen server exited while starting");
    try {
      const res = await fetch(`${lumenUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the Lumen server did not answer on ${lumenUrl} within 60 s`);
}

try {
  demo = await startDemoServer({
    lumenUrl,
    apiKey,
    apiKeyId: "demo",
    host: HOST,
    port: demoPort,
    site: values.site === "static" ? { kind: "static", dir: DIST } : { kind: "vite" },
    ...(recordingsDir === null ? {} : { recordingsDir }),
    log: ({ method, route, status, code }) => {
      if (route.startsWith("/rp") || status >= 400) {
        process.stdout.write(
          `[demo] ${method} ${route} ${String(status)}${code ? ` ${code}` : ""}\n`,
        );
      }
    },
  });
  // The Lumen server's own environment, not the caller's LUMEN_* (a stray issuer would break
  // verdict verification).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("LUMEN_")),
  );
  lumen = spawn(process.execPath, [TSX_CLI, SERVER_MAIN], {
    env: {
      ...env,
      LUMEN_HOST: HOST,
      LUMEN_PORT: String(lumenPort),
      LUMEN_API_KEYS: `demo:${apiKey}`,
      LUMEN_DATA_DIR: dataDir,
      LUMEN_ALLOWED_ORIGINS: demo.url,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  lumen.once("exit", (code, signal) => {
    if (stopping !== null) return;
    process.stderr.write(`The Lumen server stopped (${signal ?? `exit ${String(code)}`}).\n`);
    void stop(1);
  });
  await waitForLumen(lumen);
  process.stdout.write(
    [
      "",
      `  Lumen demo:          ${demo.url}/`,
      `  Attack lab:          ${demo.url}/lab.html`,
      `  Verification server: ${lumenUrl} (data in ${dataDir}, deleted on exit)`,
      recordingsDir === null
        ? "  Donated sessions:    off (LUMEN_DEMO_RECORDINGS=<folder> turns them on)"
        : `  Donated sessions:    ${recordingsDir} (kept)`,
      "",
      "  Ctrl-C stops both.",
      "",
    ].join("\n"),
  );
} catch (error) {
  process.stderr.write(
    `The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  await stop(1);
}
