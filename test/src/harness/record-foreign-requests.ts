import type { BrowserContext } from "playwright-core";

/** Requests a browser context tried to send to hosts other than the loopback test server. */
export interface ForeignRequestLog {
  /** URLs of requests to any host but 127.0.0.1, each aborted before it left. */
  readonly urls: readonly string[];
}

/**
 * Aborts and records every request of a browser context that goes to a host other than
 * 127.0.0.1. Pages are expected to block such requests themselves (a CSP `connect-src 'self'`
 * stops MediaPipe Tasks' telemetry); this is the net under that, so a test can assert
 * `urls` is empty and nothing ever leaves the machine even when the page's policy is wrong.
 *
 * @example
 * ```ts
 * const foreign = await recordForeignRequests(browser.context);
 * // … run the page …
 * expect(foreign.urls).toEqual([]);
 * ```
 */
export async function recordForeignRequests(context: BrowserContext): Promise<ForeignRequestLog> {
  const urls: string[] = [];
  await context.route(
    (url) => url.hostname !== "127.0.0.1",
    async (route) => {
      urls.push(route.request().url());
      await route.abort("blockedbyclient");
    },
  );
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (
      url.protocol.startsWith("http") &&
      url.hostname !== "127.0.0.1" &&
      !urls.includes(url.href)
    ) {
      urls.push(url.href);
    }
  });
  return { urls };
}
