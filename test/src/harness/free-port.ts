import { createServer } from "node:net";

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: for servers whose URL another server must
 * know before they start (a page origin in the API server's CORS list).
 *
 * @example
 * ```ts
 * const port = await freePort();
 * const api = await startApiServer({ modelDir, pageOrigins: [`http://127.0.0.1:${port}`] });
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => {
        if (port > 0) resolve(port);
        else reject(new Error("No port was assigned"));
      });
    });
  });
}
