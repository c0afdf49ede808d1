import { createReadStream } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { ViteDevServer } from "vite";
import { SESSION_ID_PATTERN } from "../src/rp-types.ts";
import {
  resolveDemoServerOptions,
  type DemoServerOptions,
  type ResolvedDemoServerOptions,
} from "./demo-server-options.ts";
import { createRpBackend, type RpBackend } from "./rp-backend.ts";
import { MAX_RECORDING_BODY_BYTES, saveRecording } from "./recordings.ts";
import { RpError, type RpErrorCode } from "./rp-error.ts";
import { securityHeaders } from "./security-headers.ts";
import { contentTypeOf, sdkAssetRoutes, siteFile } from "./static-files.ts";

/** A running demo server. */
export interface DemoServer {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/** Largest `POST /rp/sessions` body: `{"policy":"no-flash"}` is 21 bytes. */
export const MAX_RP_BODY_BYTES = 1_024;

const DEMO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The request body, of at most `maxBytes`: beyond it, `413 PAYLOAD_TOO_LARGE`. */
async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
): Promise<Buffer<ArrayBuffer>> {
  const tooLarge = (): RpError => {
    // Drop the rest of the upload rather than read it.
    res.setHeader("Connection", "close");
    return new RpError(413, "PAYLOAD_TOO_LARGE", "The request body is too large");
  };
  if (Number(req.headers["content-length"] ?? "0") > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: RpErrorCode, message: string): void {
  res.setHeader("X-Demo-Error-Code", code);
  sendJson(res, status, { error: { code, message } });
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cache: string): void {
  const stream = createReadStream(file);
  stream.once("error", () => {
    if (!res.headersSent) sendError(res, 404, "NOT_FOUND", "No such file");
    else res.destroy();
  });
  stream.once("open", () => {
    res.writeHead(200, {
      "Content-Type": contentTypeOf(file) ?? "application/octet-stream",
      "Cache-Control": cache,
    });
    if (req.method === "HEAD") {
      stream.destroy();
      res.end();
    } else {
      stream.pipe(res);
    }
  });
}

/** A raw request path that tries to leave its folder: `..` (also percent-encoded), `\`, NUL. */
function isTraversal(rawPath: string): boolean {
  const decoded = rawPath.replace(/%2e/gi, ".").replace(/%2f/gi, "/").replace(/%5c/gi, "\\");
  return /(^|[/\\])\.\.([/\\]|$)/.test(decoded) || /[\\\0]|%00/i.test(decoded);
}

/** A JSON body of at most `maxBytes`; `{}` when empty. */
async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
): Promise<unknown> {
  const text = (await readBody(req, res, maxBytes)).toString("utf8");
  if (text.trim() === "") return {};
  if (!/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "")) {
    throw new RpError(400, "REQUEST_INVALID", "The body must be application/json");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new RpError(400, "REQUEST_INVALID", "The body is not valid JSON");
  }
}

async function handleRp(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  rp: RpBackend,
  recordingsDir: string | null,
): Promise<string> {
  const parts = path.split("/").slice(2); // "", "rp", …
  if (parts.length === 1 && parts[0] === "sessions") {
    if (req.method !== "POST") throw new RpError(405, "METHOD_NOT_ALLOWED", "Use POST");
    sendJson(res, 201, await rp.createSession(await readJsonBody(req, res, MAX_RP_BODY_BYTES)));
    return "/rp/sessions";
  }
  if (parts.length === 1 && parts[0] === "recordings") {
    if (recordingsDir === null) {
      throw new RpError(
        404,
        "NOT_FOUND",
        "This demo does not collect recordings (start it with LUMEN_DEMO_RECORDINGS=<folder>)",
      );
    }
    if (req.method !== "POST") throw new RpError(405, "METHOD_NOT_ALLOWED", "Use POST");
    const body = await readJsonBody(req, res, MAX_RECORDING_BODY_BYTES);
    sendJson(res, 201, await saveRecording(recordingsDir, body));
    return "/rp/recordings";
  }
  const [collection, id, sub, index, ...rest] = parts;
  if (collection !== "sessions" || id === undefined || rest.length > 0) {
    throw new RpError(404, "NOT_FOUND", "No such route");
  }
  if (sub === "reference-image" && index === undefined) {
    if (req.method !== "PUT") throw new RpError(405, "METHOD_NOT_ALLOWED", "Use PUT");
    const query = new URL(req.url ?? "/", "http://demo.invalid").searchParams;
    const attached = await rp.attachReference(id, {
      kind: query.get("kind"),
      contentType: req.headers["content-type"],
      read: (maxBytes) => readBody(req, res, maxBytes),
    });
    sendJson(res, 200, attached);
    return "/rp/sessions/:id/reference-image";
  }
  if (req.method !== "GET") throw new RpError(405, "METHOD_NOT_ALLOWED", "Use GET");
  if (!SESSION_ID_PATTERN.test(id)) {
    throw new RpError(400, "REQUEST_INVALID", "The session id is malformed");
  }
  if (sub === undefined) {
    sendJson(res, 200, await rp.getResult(id));
    return "/rp/sessions/:id";
  }
  if (sub !== "frames" || index === undefined) throw new RpError(404, "NOT_FOUND", "No such route");
  const jpeg = await rp.auditFrame(id, index);
  res.writeHead(200, {
    "Content-Type": "image/jpeg",
    "Content-Length": jpeg.byteLength,
    "Cache-Control": "no-store",
  });
  res.end(jpeg);
  return "/rp/sessions/:id/frames/:n";
}

async function createVite(server: ReturnType<typeof createServer>): Promise<ViteDevServer> {
  const { createServer: createViteServer } = await import("vite");
  return createViteServer({
    root: DEMO_ROOT,
    configFile: fileURLToPath(new URL("../vite.config.ts", import.meta.url)),
    appType: "mpa",
    server: { middlewareMode: true, hmr: { server } },
  });
}

function listen(
  server: ReturnType<typeof createServer>,
  options: ResolvedDemoServerOptions,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts the demo relying party: its backend (`/rp/*`, which holds the API key) and the page
 * host (the onboarding flow and the attack lab, the SDK's models and WASM runtimes), every
 * response with COOP/COEP (cross-origin isolation for WASM threads), CORP, CSP and
 * `Referrer-Policy: no-referrer`.
 *
 * @throws {TypeError} When an option is invalid.
 * @example
 * ```ts
 * const demo = await startDemoServer({
 *   lumenUrl: "http://127.0.0.1:8787",
 *   apiKey: process.env.LUMEN_DEMO_API_KEY ?? "",
 *   site: { kind: "static", dir: "packages/demo/dist" },
 * });
 * console.log(demo.url);
 * await demo.close();
 * ```
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const resolved = resolveDemoServerOptions(options);
  const headers = securityHeaders(resolved.lumenOrigin);
  const assets = sdkAssetRoutes();
  const rp = createRpBackend(resolved);
  const server = createServer();
  const vite = resolved.site.kind === "vite" ? await createVite(server) : null;
  const siteDir = resolved.site.kind === "static" ? resolved.site.dir : null;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<string> => {
    const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
    if (!rawPath.startsWith("/") || isTraversal(rawPath)) {
      throw new RpError(400, "REQUEST_INVALID", "The path is malformed");
    }
    const path = new URL(rawPath, "http://demo.invalid").pathname;
    if (path === "/rp" || path.startsWith("/rp/")) {
      return handleRp(req, res, path, rp, resolved.recordingsDir);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      throw new RpError(405, "METHOD_NOT_ALLOWED", "Use GET");
    }
    const asset = assets.get(path);
    if (asset !== undefined) {
      sendFile(req, res, asset, "no-cache");
      return path;
    }
    if (vite !== null) {
      await new Promise<void>((resolve, reject) => {
        res.once("close", resolve);
        vite.middlewares(req, res, (error?: unknown) => {
          if (error) reject(error instanceof Error ? error : new Error("Vite failed"));
          else resolve();
        });
      });
      // Still unanswered: Vite has no such file either.
      if (!res.headersSent) throw new RpError(404, "NOT_FOUND", "No such file");
      return "(vite)";
    }
    const file = siteDir === null ? null : siteFile(siteDir, path);
    if (file === null) throw new RpError(404, "NOT_FOUND", "No such file");
    // Vite names built assets by content hash: they never change under the same name.
    sendFile(
      req,
      res,
      file,
      path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    );
    return path.endsWith(".html") || path === "/" ? path : "(static)";
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    let route = "(unknown)";
    let code: string | null = null;
    res.once("finish", () => {
      resolved.log({ method: req.method ?? "?", route, status: res.statusCode, code });
    });
    handle(req, res).then(
      (matched) => {
        route = matched;
      },
      (error: unknown) => {
        const known =
          error instanceof RpError
            ? error
            : new RpError(500, "INTERNAL", "The demo server failed; see its terminal");
        code = known.code;
        if (res.headersSent) res.destroy();
        else sendError(res, known.status, known.code, known.message);
      },
    );
  });

  let port: number;
  try {
    port = await listen(server, resolved);
  } catch (error) {
    await vite?.close();
    throw error;
  }
  const host = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host;
  return {
    url: `http://${host}:${String(port)}`,
    async close() {
      await vite?.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      });
    },
  };
}
