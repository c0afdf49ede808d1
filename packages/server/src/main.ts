// The only module that reads the environment, touches the data folder and binds a port.
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { LumenError } from "@lumen/protocol";
import { loadConfig, type ServerConfig } from "./config/load-config.ts";
import { loadPassiveModelDeclarations } from "./config/passive-model-declarations.ts";
import { createApp } from "./http/create-app.ts";
import { applyKeepAliveTimeouts } from "./http/keep-alive-timeouts.ts";
import { ApiKeyRegistry } from "./keys/api-key-registry.ts";
import { createKeyStore } from "./keys/create-key-store.ts";
import { SqliteSessionStore } from "./sessions/sqlite-session-store.ts";
import type { OperatorPassiveModel } from "./verification/operator-passive-model.ts";
import { createPooledEvidenceVerifier } from "./verification/pooled-evidence-verifier.ts";

const PURGE_INTERVAL_MS = 10 * 60_000;
const VERIFIER_TIMEOUT_MS = 20_000;

function log(entry: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}

function refuseToStart(err: unknown): never {
  const message = err instanceof LumenError ? err.message : String(err);
  process.stderr.write(`Invalid Lumen configuration:\n${message}\n`);
  process.exit(1);
}

function configOrExit(): ServerConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    refuseToStart(err);
  }
}

// The operator's own passive models are checked against their pins before anything starts:
// a server never runs without a model its configuration declares.
async function operatorModelsOrExit(file: string | null): Promise<OperatorPassiveModel[]> {
  if (file === null) return [];
  try {
    return await loadPassiveModelDeclarations(file);
  } catch (err) {
    refuseToStart(err);
  }
}

const config = configOrExit();
const operatorModels = await operatorModelsOrExit(config.passiveModelsFile);
mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
const store = new SqliteSessionStore({
  path: join(config.dataDir, "lumen.sqlite"),
  frameRetentionMs: config.frameRetentionMs,
  verdictRetentionMs: config.verdictRetentionMs,
});
const keys = await createKeyStore({
  file: join(config.dataDir, "signing-keys.json"),
  nowMs: Date.now(),
  retiredKeyLifetimeMs: config.verdictRetentionMs,
});
const verifier = createPooledEvidenceVerifier({
  modelDir: config.modelDir,
  // Leave one core to the HTTP loop.
  workers: Math.max(1, availableParallelism() - 1),
  maxQueue: 8,
  timeoutMs: VERIFIER_TIMEOUT_MS,
  operatorModels,
});
const app = createApp({
  store,
  keys,
  apiKeys: new ApiKeyRegistry(config.apiKeys),
  verifier,
  issuer: config.issuer,
  allowedOrigins: config.allowedOrigins,
  verdictRetentionMs: config.verdictRetentionMs,
  // The pool has its own per-job timeout; this one only catches a pool that never answers.
  verifierTimeoutMs: VERIFIER_TIMEOUT_MS * 3,
  log: (entry) => {
    log({ level: "info", msg: "request", ...entry });
  },
});

const purge = (): void => {
  try {
    log({ level: "info", msg: "purge", ...store.purgeExpired(Date.now()) });
  } catch (err) {
    log({
      level: "error",
      msg: "purge failed",
      error: err instanceof Error ? err.name : "unknown",
    });
  }
};
purge();
const purgeTimer = setInterval(purge, PURGE_INTERVAL_MS);
purgeTimer.unref();

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  log({
    level: "info",
    msg: "listening",
    url: `http://${config.host}:${String(info.port)}`,
    issuer: config.issuer,
  });
  if (config.demoApiKey !== null) {
    // Printed once, to the terminal only; it is never logged again.
    process.stderr.write(
      `\nLUMEN_DEMO=1: demo API key (id "demo"), valid until restart:\n  ${config.demoApiKey}\n\n`,
    );
  }
});
applyKeepAliveTimeouts(server);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  log({ level: "info", msg: "stopping" });
  clearInterval(purgeTimer);
  server.close(() => {
    void verifier.close().finally(() => {
      store.close();
      process.exit(0);
    });
  });
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
