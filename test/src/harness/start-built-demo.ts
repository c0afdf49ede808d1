import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startDemoServer, type DemoServer } from "../../../packages/demo/server/index.ts";
import { freePort } from "./free-port.ts";
import { MODEL_DIR, REPO_ROOT } from "./sdk-page.ts";
import { startApiServer, type ApiServer } from "./start-api-server.ts";

/** The demo's production build on its relying-party server, and the verification server. */
export interface BuiltDemo {
  readonly api: ApiServer;
  readonly demo: DemoServer;
  close(): Promise<void>;
}

/**
 * Builds the demo (`vite build`) and serves `packages/demo/dist` with the demo's own server
 * (its COOP/COEP and CSP headers, its backend holding the API key) in front of the real
 * verification server, both on loopback ports.
 *
 * @example
 * ```ts
 * const { api, demo, close } = await startBuiltDemo();
 * await page.goto(`${demo.url}/lab.html`);
 * ```
 */
export async function startBuiltDemo(): Promise<BuiltDemo> {
  await promisify(execFile)("pnpm", ["--filter", "@lumen/demo", "run", "build"], {
    cwd: REPO_ROOT,
  });
  const port = await freePort();
  const api = await startApiServer({
    modelDir: MODEL_DIR,
    pageOrigins: [`http://127.0.0.1:${String(port)}`],
  });
  const demo = await startDemoServer({
    lumenUrl: api.url,
    apiKey: api.apiKey,
    apiKeyId: api.apiKeyId,
    issuer: api.issuer,
    port,
    site: { kind: "static", dir: join(REPO_ROOT, "packages/demo/dist") },
  });
  return {
    api,
    demo,
    close: async () => {
      await demo.close();
      await api.close();
    },
  };
}
