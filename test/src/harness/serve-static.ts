import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname } from "node:path";

/** Options of {@link serveStatic}. */
export interface ServeStaticOptions {
  /** URL path (e.g. `/index.html`) → absolute file path. Nothing else is served. */
  readonly routes: Readonly<Record<string, string>>;
  /** Headers sent with every response, e.g. a `Content-Security-Policy`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The `Cache-Control` of every response: `no-store` unless a benchmark measures caching. */
  readonly cacheControl?: string;
}

/** A running loopback server; `url` has no trailing slash. */
export interface StaticServer {
  readonly url: string;
  /** Every path requested so far, in order, with its status. */
  readonly requests: readonly { readonly path: string; readonly status: number }[];
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
};

/**
 * A static file server on 127.0.0.1 (random port) that serves only the files of an explicit
 * route map, so a test states exactly what its page can load and a typo is a 404, not a file
 * from elsewhere on disk. Files are read on each request; responses are `no-store` unless
 * `cacheControl` says otherwise.
 *
 * @example
 * ```ts
 * const server = await serveStatic({
 *   routes: { "/index.html": pagePath, "/vision_bundle.mjs": bundlePath },
 *   headers: { "Content-Security-Policy": "connect-src 'self'" },
 * });
 * await page.goto(`${server.url}/index.html`);
 * await server.close();
 * ```
 */
export async function serveStatic(options: ServeStaticOptions): Promise<StaticServer> {
  const requests: { path: string; status: number }[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const file = Object.hasOwn(options.routes, path) ? options.routes[path] : undefined;
    const reply = (status: number, body: Uint8Array | string, type: string): void => {
      requests.push({ path, status });
      response.writeHead(status, {
        ...options.headers,
        "Content-Type": type,
        "Cache-Control": options.cacheControl ?? "no-store",
      });
      response.end(request.method === "HEAD" ? undefined : body);
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      reply(405, "method not allowed", "text/plain");
    } else if (file === undefined) {
      reply(404, "not found", "text/plain");
    } else {
      readFile(file).then(
        (body) => {
          reply(200, body, CONTENT_TYPES[extname(file)] ?? "application/octet-stream");
        },
        () => {
          reply(404, "not found", "text/plain");
        },
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
