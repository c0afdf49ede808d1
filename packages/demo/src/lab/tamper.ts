// What an attacker who controls the page can do to the SDK without touching its code: hook
// `crypto.subtle.generateKey` (to hold the device key the SDK makes) and `fetch` (to read and
// rewrite the evidence upload). The server must not be fooled by any of it: it re-derives every
// score from the frames and checks every token against the key bound when the session started.

/** How the evidence upload is tampered with. */
export type TamperMode =
  /** Left as it is; only recorded (for a later replay). */
  | "record"
  /** The token's per-frame scores are rewritten to a perfect live face and re-signed with the SDK's own device key. */
  | "lie-about-scores"
  /** The token is re-signed with another key than the one bound to the session. */
  | "forge-signature";

/** The evidence upload as it went out (after tampering). */
export interface RecordedUpload {
  readonly url: string;
  readonly headers: Headers;
  readonly body: FormData;
}

/** The server's answer to a request, as the attacker saw it. */
export interface ObservedResponse {
  readonly status: number;
  /** `error.code` of an error body, else `null`. */
  readonly code: string | null;
}

/** An installed tamper. */
export interface Tamper {
  /** The last evidence upload, once the SDK has sent one. */
  readonly upload: RecordedUpload | null;
  /** The server's answer to that upload. */
  readonly response: ObservedResponse | null;
  /** Puts `fetch` and `generateKey` back. */
  restore(): void;
}

const EVIDENCE_PATH = /\/v1\/sessions\/ses_[A-Za-z0-9_-]{22}\/evidence$/;
/** The scores a perfect live face gets from the SDK's models. */
const PERFECT_SCORES = { faces: 1, liveness: 8, realness: 0.98 } as const;

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Signs `header.payload` as a compact ES256 JWS (WebCrypto's ECDSA output is JWS's r‖s). */
async function signCompact(header: string, payload: string, key: CryptoKey): Promise<string> {
  const input = `${header}.${payload}`;
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64Url(new Uint8Array(signature))}`;
}

interface TokenClaims {
  frames: { scores: unknown }[];
}

async function rewriteToken(
  token: string,
  mode: Exclude<TamperMode, "record">,
  deviceKey: CryptoKey | null,
  generateKey: SubtleCrypto["generateKey"],
): Promise<string> {
  const [header, payload] = token.split(".");
  if (header === undefined || payload === undefined) throw new Error("not a compact JWS");
  if (mode === "forge-signature") {
    const algorithm: EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
    const other = (await Reflect.apply(generateKey, crypto.subtle, [
      algorithm,
      false,
      ["sign", "verify"],
    ])) as CryptoKeyPair;
    return signCompact(header, payload, other.privateKey);
  }
  if (!deviceKey) throw new Error("the SDK's device key was not caught");
  const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as TokenClaims;
  for (const frame of claims.frames) frame.scores = { ...PERFECT_SCORES };
  const lied = base64Url(new TextEncoder().encode(JSON.stringify(claims)));
  return signCompact(header, lied, deviceKey);
}

async function observe(response: Response): Promise<ObservedResponse> {
  let code: string | null = null;
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } };
    if (typeof body.error?.code === "string") code = body.error.code;
  } catch {
    // Not JSON: no code.
  }
  return { status: response.status, code };
}

/**
 * Hooks the page's `fetch` (and, to lie with the SDK's own key, `crypto.subtle.generateKey`)
 * for the next session. Call `restore()` when the attack is over.
 *
 * @example
 * ```ts
 * const tamper = installTamper("lie-about-scores");
 * try { await runSession(); } finally { tamper.restore(); }
 * ```
 */
export function installTamper(mode: TamperMode): Tamper {
  const originalFetch = globalThis.fetch;
  const subtle = SubtleCrypto.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(subtle, "generateKey");
  if (!descriptor) throw new Error("This browser has no SubtleCrypto.generateKey");
  const originalGenerateKey = descriptor.value as SubtleCrypto["generateKey"];
  let deviceKey: CryptoKey | null = null;
  let upload: RecordedUpload | null = null;
  let response: ObservedResponse | null = null;

  // The SDK's device key: the page cannot export it, but it can keep a handle and sign with it.
  subtle.generateKey = async function (this: SubtleCrypto, ...args: unknown[]) {
    const made: unknown = await Reflect.apply(originalGenerateKey, this, args);
    if (typeof made === "object" && made !== null && "privateKey" in made) {
      deviceKey = (made as CryptoKeyPair).privateKey;
    }
    return made;
  } as SubtleCrypto["generateKey"];

  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const body = init?.body;
    if (
      init?.method !== "POST" ||
      !EVIDENCE_PATH.test(new URL(url, location.href).pathname) ||
      !(body instanceof FormData)
    ) {
      return originalFetch(input, init);
    }
    const sent = new FormData();
    for (const [name, value] of body) sent.append(name, value);
    const token = body.get("token");
    if (mode !== "record" && typeof token === "string") {
      sent.set("token", await rewriteToken(token, mode, deviceKey, originalGenerateKey));
    }
    const headers = new Headers(init.headers);
    upload = { url, headers, body: sent };
    const answer = await originalFetch(url, { ...init, body: sent });
    response = await observe(answer);
    return answer;
  };

  return {
    get upload() {
      return upload;
    },
    get response() {
      return response;
    },
    restore() {
      globalThis.fetch = originalFetch;
      Object.defineProperty(subtle, "generateKey", descriptor);
    },
  };
}

/**
 * Sends a recorded evidence upload again, as it was: a replayed token.
 *
 * @example
 * ```ts
 * const { status, code } = await replayUpload(tamper.upload); // 409 REPLAYED
 * ```
 */
export async function replayUpload(upload: RecordedUpload): Promise<ObservedResponse> {
  const again = new FormData();
  for (const [name, value] of upload.body) again.append(name, value);
  return observe(await fetch(upload.url, { method: "POST", headers: upload.headers, body: again }));
}
