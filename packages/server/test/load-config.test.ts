import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load-config.ts";

const KEYS = "bank:0123456789abcdefghijklmnop,crm:zyxwvutsrqponmlkjihgfedcba98";

describe("loadConfig", () => {
  it("applies the defaults", () => {
    const config = loadConfig({ LUMEN_API_KEYS: KEYS }, { cwd: "/srv/lumen" });
    expect(config).toMatchObject({
      port: 8787,
      host: "127.0.0.1",
      dataDir: "/srv/lumen/.lumen-data",
      issuer: "http://127.0.0.1:8787",
      allowedOrigins: [],
      frameRetentionMs: 24 * 3_600_000,
      verdictRetentionMs: 30 * 86_400_000,
      demoApiKey: null,
    });
    expect(config.apiKeys.map((k) => k.id)).toEqual(["bank", "crm"]);
    expect(config.modelDir).toMatch(/models[/\\]dist$/);
    expect(config.passiveModelsFile).toBeNull();
  });

  it("reads every variable", () => {
    const config = loadConfig(
      {
        LUMEN_API_KEYS: KEYS,
        LUMEN_PORT: "9000",
        LUMEN_HOST: "0.0.0.0",
        LUMEN_ALLOWED_ORIGINS: "https://app.example.com, http://localhost:5173",
        LUMEN_ISSUER: "https://kyc.example.com",
        LUMEN_FRAME_RETENTION_HOURS: "2",
        LUMEN_VERDICT_RETENTION_DAYS: "7",
        LUMEN_DATA_DIR: "/var/lib/lumen",
        LUMEN_PASSIVE_MODELS: "conf/passive-models.json",
      },
      { cwd: "/srv/lumen" },
    );
    expect(config).toMatchObject({
      port: 9000,
      host: "0.0.0.0",
      allowedOrigins: ["https://app.example.com", "http://localhost:5173"],
      issuer: "https://kyc.example.com",
      frameRetentionMs: 7_200_000,
      verdictRetentionMs: 7 * 86_400_000,
      dataDir: "/var/lib/lumen",
      passiveModelsFile: "/srv/lumen/conf/passive-models.json",
    });
  });

  it("generates a demo key only with LUMEN_DEMO=1", () => {
    const config = loadConfig({ LUMEN_DEMO: "1" }, { random: (n) => new Uint8Array(n).fill(7) });
    expect(config.apiKeys).toEqual([{ id: "demo", secret: config.demoApiKey }]);
    expect(config.demoApiKey).toHaveLength(32);
    expect(() => loadConfig({})).toThrow(/LUMEN_API_KEYS is required/);
  });

  it.each([
    [{ LUMEN_API_KEYS: "bank:short" }, /at least 24/],
    [{ LUMEN_API_KEYS: `${KEYS},bank:0123456789abcdefghijklmnopq` }, /unique/],
    [{ LUMEN_API_KEYS: KEYS, LUMEN_PORT: "http" }, /LUMEN_PORT/],
    [{ LUMEN_API_KEYS: KEYS, LUMEN_ALLOWED_ORIGINS: "https://a.example/path" }, /not an origin/],
    [{ LUMEN_API_KEYS: KEYS, LUMEN_ISSUER: "ftp://x" }, /LUMEN_ISSUER/],
    [{ LUMEN_API_KEYS: KEYS, LUMEN_FRAME_RETENTION_HOURS: "-1" }, /LUMEN_FRAME_RETENTION_HOURS/],
  ])("refuses %j with a clear message", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe("README", () => {
  it("documents every error code with its status", async () => {
    const { readFile } = await import("node:fs/promises");
    const { ERROR_CODES } = await import("@lumen/protocol");
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(readme).toMatch(new RegExp(`\\| \`${code}\`\\s+\\| ${String(status)}\\s+\\|`));
    }
  });
});
