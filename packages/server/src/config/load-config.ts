import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { z } from "zod";
import { LumenError } from "@lumen/protocol";
import { cryptoRandom, type RandomSource } from "../sessions/random-source.ts";

/** The server's configuration, resolved and validated once at start. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly apiKeys: readonly { readonly id: string; readonly secret: string }[];
  /** The generated demo key (`LUMEN_DEMO=1` without `LUMEN_API_KEYS`), to print once. */
  readonly demoApiKey: string | null;
  readonly dataDir: string;
  readonly allowedOrigins: readonly string[];
  readonly issuer: string;
  readonly frameRetentionMs: number;
  readonly verdictRetentionMs: number;
  readonly modelDir: string;
  /**
   * The JSON file declaring the operator's own passive models (`loadPassiveModelDeclarations`),
   * or `null` for the shipped models only.
   */
  readonly passiveModelsFile: string | null;
}

const DEFAULT_MODEL_DIR = fileURLToPath(new URL("../../../../models/dist", import.meta.url));

const apiKey = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}:[^\s,:]{24,256}$/, {
    message: "each entry must be id:secret with a secret of at least 24 characters",
  })
  .transform((entry) => {
    const colon = entry.indexOf(":");
    return { id: entry.slice(0, colon), secret: entry.slice(colon + 1) };
  });

const list = (text: string | undefined): string[] =>
  (text ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");

const Env = z.object({
  LUMEN_PORT: z.coerce.number().int().min(1).max(65_535).default(8787),
  LUMEN_HOST: z.string().min(1).default("127.0.0.1"),
  LUMEN_API_KEYS: z.string().optional(),
  LUMEN_DEMO: z.enum(["0", "1"]).default("0"),
  LUMEN_DATA_DIR: z.string().min(1).default("./.lumen-data"),
  LUMEN_ALLOWED_ORIGINS: z.string().optional(),
  LUMEN_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  LUMEN_FRAME_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
  LUMEN_VERDICT_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  LUMEN_MODEL_DIR: z.string().min(1).optional(),
  LUMEN_PASSIVE_MODELS: z.string().min(1).optional(),
});

/**
 * Reads and validates the `LUMEN_*` environment. Only `main.ts` calls it with `process.env`.
 *
 * @throws {LumenError} `CONFIG_INVALID` with every problem in the message.
 * @example
 * ```ts
 * const config = loadConfig({ LUMEN_API_KEYS: "bank:0123456789abcdefghijklmnop" });
 * config.port; // 8787
 * ```
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly random?: RandomSource; readonly cwd?: string } = {},
): ServerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new LumenError(
      "CONFIG_INVALID",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"),
    );
  }
  const e = parsed.data;
  let apiKeys: { id: string; secret: string }[] = [];
  let demoApiKey: string | null = null;
  const entries = list(e.LUMEN_API_KEYS);
  if (entries.length > 0) {
    const keys = z.array(apiKey).safeParse(entries);
    if (!keys.success) {
      throw new LumenError(
        "CONFIG_INVALID",
        `LUMEN_API_KEYS: ${keys.error.issues[0]?.message ?? "invalid"}`,
      );
    }
    apiKeys = keys.data;
    if (new Set(apiKeys.map((k) => k.id)).size !== apiKeys.length) {
      throw new LumenError("CONFIG_INVALID", "LUMEN_API_KEYS: key ids must be unique");
    }
  } else if (e.LUMEN_DEMO === "1") {
    const secret = Buffer.from((options.random ?? cryptoRandom)(24)).toString("base64url");
    demoApiKey = secret;
    apiKeys = [{ id: "demo", secret }];
  } else {
    throw new LumenError(
      "CONFIG_INVALID",
      "LUMEN_API_KEYS is required (a comma list of id:secret), or set LUMEN_DEMO=1",
    );
  }
  const allowedOrigins = list(e.LUMEN_ALLOWED_ORIGINS);
  for (const origin of allowedOrigins) {
    let url: URL | null = null;
    try {
      url = new URL(origin);
    } catch {
      url = null;
    }
    if (url?.origin !== origin) {
      throw new LumenError(
        "CONFIG_INVALID",
        `LUMEN_ALLOWED_ORIGINS: "${origin}" is not an origin like https://app.example.com`,
      );
    }
  }
  const cwd = options.cwd ?? process.cwd();
  return {
    port: e.LUMEN_PORT,
    host: e.LUMEN_HOST,
    apiKeys,
    demoApiKey,
    dataDir: resolve(cwd, e.LUMEN_DATA_DIR),
    allowedOrigins,
    issuer: e.LUMEN_ISSUER ?? `http://${e.LUMEN_HOST}:${String(e.LUMEN_PORT)}`,
    frameRetentionMs: e.LUMEN_FRAME_RETENTION_HOURS * 3_600_000,
    verdictRetentionMs: e.LUMEN_VERDICT_RETENTION_DAYS * 86_400_000,
    modelDir: e.LUMEN_MODEL_DIR === undefined ? DEFAULT_MODEL_DIR : resolve(cwd, e.LUMEN_MODEL_DIR),
    passiveModelsFile:
      e.LUMEN_PASSIVE_MODELS === undefined ? null : resolve(cwd, e.LUMEN_PASSIVE_MODELS),
  };
}
