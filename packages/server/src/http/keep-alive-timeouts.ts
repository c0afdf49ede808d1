import type { ServerType } from "@hono/node-server";

/**
 * How long an idle keep-alive connection stays open: longer than clients' and proxies' own
 * idle timeouts (load balancers commonly keep 60 s), so the server is never the side that
 * closes a connection a client is just reusing. Node's default of 5 s lost that race in the
 * e2e suite: a client idle for about 5 s sent its upload on a socket the server was closing,
 * and got `ECONNRESET` instead of an answer.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Sets {@link KEEP_ALIVE_TIMEOUT_MS} on an HTTP/1.1 server, with the headers timeout just above
 * it (Node requires it to exceed the keep-alive timeout for a reused connection's headers).
 *
 * @example
 * ```ts
 * applyKeepAliveTimeouts(serve({ fetch: app.fetch, port: 8080 }));
 * ```
 */
export function applyKeepAliveTimeouts(server: ServerType): void {
  if (!("keepAliveTimeout" in server)) return;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
}
