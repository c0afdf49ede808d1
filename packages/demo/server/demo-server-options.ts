import { statSync } from "node:fs";
import { isAbsolute } from "node:path";

/** Where the pages come from: a built `dist/`, or Vite's dev middleware (sources, HMR). */
export type DemoSite =
  { readonly kind: "static"; readonly dir: string } | { readonly kind: "vite" };

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** The Lumen verification server; the browser talks to it directly (CORS). */
  readonly lumenUrl: string;
  /** The relying party's API key: never sent to the browser, never logged. */
  readonly apiKey: string;
  /** The id of {@link apiKey}, the `aud` of its verdicts; `"demo"` by default. */
  readonly apiKeyId?: string;
  /** The Lumen server's issuer (`iss` of its verdicts); `lumenUrl` by default. */
  readonly issuer?: string;
  /** 127.0.0.1 by default. */
  readonly host?: string;
  /** 0 (a free port) by default. */
  readonly port?: number;
  readonly site: DemoSite;
  /** One entry per request (method, path pattern, status, error code): nothing else. */
  readonly log?: (entry: DemoRequestLogEntry) => void;
  /**
   * An existing folder where `POST /rp/recordings` writes donated sessions (biometric data,
   * given with consent) for `pnpm eval --sessions`; without it the route answers 404.
   */
  readonly recordingsDir?: string;
}

/** What the demo server logs per request: never bodies, tokens, keys or frames. */
export interface DemoRequestLogEntry {
  readonly method: string;
  /** The route, with ids replaced by their names (`/rp/sessions/:id`). */
  readonly route: string;
  readonly status: number;
  readonly code: string | null;
}

/** {@link DemoServerOptions} after validation and defaults. */
export interface ResolvedDemoServerOptions {
  /** No trailing slash. */
  readonly lumenUrl: string;
  readonly lumenOrigin: string;
  readonly apiKey: string;
  readonly apiKeyId: string;
  readonly issuer: string;
  readonly host: string;
  readonly port: number;
  readonly site: DemoSite;
  readonly log: (entry: DemoRequestLogEntry) => void;
  /** `null`: recording is off. */
  readonly recordingsDir: string | null;
}

function httpUrl(name: string, value: unknown): URL {
  if (typeof value !== "string") throw new TypeError(`${name} must be a string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new TypeError(`${name} must be a URL`, { cause });
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new TypeError(`${name} must be an http(s) URL without query or fragment`);
  }
  return url;
}

/**
 * Validates {@link DemoServerOptions} once, so a mistake throws a `TypeError` at start.
 *
 * @throws {TypeError} When an option is missing or invalid.
 * @example
 * ```ts
 * const resolved = resolveDemoServerOptions({ lumenUrl, apiKey, site: { kind: "vite" } });
 * resolved.port; // 0
 * ```
 */
export function resolveDemoServerOptions(options: DemoServerOptions): ResolvedDemoServerOptions {
  const lumen = httpUrl("lumenUrl", options.lumenUrl);
  const lumenUrl = lumen.href.replace(/\/+$/, "");
  if (typeof options.apiKey !== "string" || !/^[\x21-\x7e]{1,8192}$/.test(options.apiKey)) {
    throw new TypeError("apiKey must be a non-empty printable string");
  }
  const apiKeyId = options.apiKeyId ?? "demo";
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(apiKeyId)) throw new TypeError("apiKeyId is invalid");
  const issuer = options.issuer ?? lumenUrl;
  httpUrl("issuer", issuer);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError("port must be an integer from 0 to 65535");
  }
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host === "") throw new TypeError("host must be a string");
  const site = options.site as DemoSite | undefined;
  if (site?.kind === "static") {
    if (
      typeof site.dir !== "string" ||
      !statSync(site.dir, { throwIfNoEntry: false })?.isDirectory()
    ) {
      throw new TypeError(`site.dir is not a folder: ${site.dir} (run the build first)`);
    }
  } else if (site?.kind !== "vite") {
    throw new TypeError('site must be { kind: "static", dir } or { kind: "vite" }');
  }
  const recordingsDir = options.recordingsDir ?? null;
  if (
    recordingsDir !== null &&
    (typeof recordingsDir !== "string" ||
      !isAbsolute(recordingsDir) ||
      !statSync(recordingsDir, { throwIfNoEntry: false })?.isDirectory())
  ) {
    throw new TypeError(
      `recordingsDir must be an existing folder's absolute path: ${recordingsDir}`,
    );
  }
  return {
    lumenUrl,
    lumenOrigin: lumen.origin,
    apiKey: options.apiKey,
    apiKeyId,
    issuer,
    host,
    port,
    site,
    log: options.log ?? (() => undefined),
    recordingsDir,
  };
}
