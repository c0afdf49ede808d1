import { serve, type ServerType } from "@hono/node-server";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { applyKeepAliveTimeouts } from "../src/index.ts";
import { BANK_KEY, createHarness, type Harness } from "./support/app-harness.ts";

interface Exchange {
  /** Every byte the server sent before it closed the connection or went quiet. */
  readonly received: string;
  /** The server closed the connection (as opposed to falling silent until the timeout). */
  readonly closed: boolean;
}

/**
 * Writes `requests` back to back on one raw TCP connection and collects what comes back until
 * the server closes the socket or stays silent for `quietMs`.
 */
function exchange(port: number, requests: readonly Buffer[], quietMs = 1500): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let quiet: NodeJS.Timeout | undefined;
    const settle = (closed: boolean): void => {
      clearTimeout(quiet);
      socket.destroy();
      resolve({ received, closed });
    };
    const arm = (): void => {
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        settle(false);
      }, quietMs);
    };
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      arm();
    });
    socket.on("end", () => {
      settle(true);
    });
    socket.on("error", reject);
    socket.on("connect", () => {
      for (const request of requests) socket.write(request);
      arm();
    });
  });
}

function post(path: string, body: Buffer, headers: Record<string, string> = {}): Buffer {
  const head = [
    `POST ${path} HTTP/1.1`,
    "Host: 127.0.0.1",
    "Content-Type: multipart/form-data; boundary=x",
    `Content-Length: ${body.length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    "",
    "",
  ].join("\r\n");
  return Buffer.concat([Buffer.from(head), body]);
}

const HEALTHZ = Buffer.from("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

/** Status lines and `Connection` headers of the responses in `received`, in order. */
function responses(received: string): { status: number; connection: string | null }[] {
  return received
    .split(/(?=HTTP\/1\.1 \d{3} )/)
    .filter((part) => part.startsWith("HTTP/1.1 "))
    .map((part) => ({
      status: Number(part.slice(9, 12)),
      connection: /\r\nconnection: *([^\r]*)/i.exec(part)?.[1]?.toLowerCase() ?? null,
    }));
}

let server: ServerType | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

async function listen(h: Harness): Promise<number> {
  return new Promise((resolve) => {
    server = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      resolve(info.port);
    });
    applyKeepAliveTimeouts(server);
  });
}

/** The next request on the connection is answered, or the refusal announced the close. */
function expectNoSilentDrop(result: Exchange, refusal: number): void {
  const answers = responses(result.received);
  expect(answers[0]?.status).toBe(refusal);
  if (answers.length === 2) {
    expect(answers[1]?.status).toBe(200);
    return;
  }
  expect(answers).toHaveLength(1);
  expect(answers[0]?.connection).toBe("close");
  expect(result.closed).toBe(true);
}

describe("an idle keep-alive connection", () => {
  it("is still open after Node's default 5 s, so a client reusing it is answered", async () => {
    const h = await createHarness();
    const port = await listen(h);
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let closed = false;
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    socket.on("close", () => (closed = true));
    await new Promise((resolve) => socket.on("connect", resolve));
    socket.write(HEALTHZ);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(closed).toBe(false);
    socket.write(HEALTHZ);
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.destroy();
    expect(responses(received).map(({ status }) => status)).toEqual([200, 200]);
  }, 10_000);
});

describe("a refusal issued before the body is read keeps the connection honest", () => {
  const body = Buffer.alloc(300_000, 0x61);

  it("unknown session: 404, then /healthz is answered or the close was announced", async () => {
    const h = await createHarness();
    const port = await listen(h);
    const result = await exchange(port, [
      post("/v1/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA/evidence", body),
      HEALTHZ,
    ]);
    expectNoSilentDrop(result, 404);
  });

  it("session not started: 409, then /healthz is answered or the close was announced", async () => {
    const h = await createHarness();
    const { sessionId } = await h.createSession();
    const port = await listen(h);
    const result = await exchange(port, [
      post(`/v1/sessions/${sessionId}/evidence`, body),
      HEALTHZ,
    ]);
    expectNoSilentDrop(result, 409);
  });

  it("unknown API key on session creation: 401 with the same guarantee", async () => {
    const h = await createHarness();
    const port = await listen(h);
    const result = await exchange(port, [
      post("/v1/sessions", Buffer.alloc(10_000, 0x20), { Authorization: "Bearer nope" }),
      HEALTHZ,
    ]);
    expectNoSilentDrop(result, 401);
  });

  it("keeps the connection open after requests whose body was read or that had none", async () => {
    const h = await createHarness();
    const port = await listen(h);
    const create = Buffer.from(
      [
        "POST /v1/sessions HTTP/1.1",
        "Host: 127.0.0.1",
        `Authorization: Bearer ${BANK_KEY}`,
        "Content-Type: application/json",
        "Content-Length: 2",
        "",
        "{}",
      ].join("\r\n"),
    );
    const remove = Buffer.from(
      `DELETE /v1/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${BANK_KEY}\r\n\r\n`,
    );
    const result = await exchange(port, [create, HEALTHZ, remove, HEALTHZ]);
    expect(responses(result.received)).toEqual([
      { status: 201, connection: "keep-alive" },
      { status: 200, connection: "keep-alive" },
      { status: 404, connection: "keep-alive" },
      { status: 200, connection: "keep-alive" },
    ]);
    expect(result.closed).toBe(false);
  });
});
