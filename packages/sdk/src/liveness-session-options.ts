import type { CaptureFacts, StartSessionResponse } from "@lumen/protocol";
import { CAMERA_CHOICE_STORAGE_KEY } from "./capture/choose-camera.ts";
import type { ChallengeDisplay } from "./challenge-display.ts";
import { DEFAULT_WORKER_TIMEOUTS, type WorkerTimeouts } from "./runtime/worker-timeouts.ts";

/** Where the SDK loads its files from; every location can be self-hosted under your own CSP. */
export interface LivenessAssets {
  /** Folder holding the model files `pnpm models` builds (pinned by SHA-256 in the SDK). */
  readonly modelBaseUrl: string | URL;
  /** Folder holding onnxruntime-web's `.wasm` files; defaults to `modelBaseUrl`. */
  readonly wasmBaseUrl?: string | URL;
}

/**
 * A finished session's evidence, exactly as it is about to be uploaded: what a recorder needs
 * to replay the server's decision (`pnpm eval --sessions`). The frames are biometric data.
 */
export interface LivenessEvidence {
  /** The server's answer to the start: challenge, nonce, evidence limits, deadline. */
  readonly start: StartSessionResponse;
  /** When the SDK asked for the start (epoch ms, `clock`); the server's start is a little later. */
  readonly startedAt: number;
  readonly capture: CaptureFacts;
  /** The signed result token (compact JWS). */
  readonly token: string;
  /** The evidence JPEGs in upload order, one per `claims.frames` entry. */
  readonly frames: readonly Uint8Array[];
}

/** Options of {@link createLivenessSession}. */
export interface LivenessSessionOptions {
  /** The verification server's base URL. */
  readonly serverUrl: string | URL;
  /** The short-lived client token your backend received with the session. */
  readonly clientToken: string;
  /** The session id your backend received (`ses_…`). */
  readonly sessionId: string;
  readonly assets: LivenessAssets;
  /** Paints flashes and prompts; required, because the server's challenge has flashes. */
  readonly display: ChallengeDisplay;
  /** Test seam or integrator source: used instead of the camera (reported as a custom source). */
  readonly source?: MediaStream;
  /** Test seam: the `fetch` used for the server and the models. */
  readonly fetch?: typeof fetch;
  /** Test seam: epoch milliseconds. */
  readonly clock?: () => number;
  /** Test seam: starts the analysis worker (a module worker running `@lumen/sdk/analysis-worker`). */
  readonly createWorker?: () => Worker;
  /** Test seam: how long a silent worker may take before it counts as crashed. */
  readonly workerTimeouts?: Partial<WorkerTimeouts>;
  /** Longest wait for a well-placed face before the challenge starts anyway; 8000 by default. */
  readonly positioningTimeoutMs?: number;
  /** Attempts of the evidence upload on network errors; 3 by default. */
  readonly uploadAttempts?: number;
  /**
   * The camera to open (a `deviceId` from `listCameras()`), remembered for later sessions.
   * Without it: the remembered pick, else the front camera, never an infrared face-unlock one.
   */
  readonly deviceId?: string;
  /**
   * The `localStorage` key the camera pick is remembered under (`"lumen.cameraDeviceId"` by
   * default); `false` neither reads nor writes it.
   */
  readonly rememberCamera?: string | false;
  /**
   * A camera whose label names a virtual camera (OBS, ManyCam…): `"report"` (default) sends
   * the signal to the server and goes on; `"refuse"` ends the session with `VIRTUAL_CAMERA`
   * before any model loads (the label of a `source` stream is judged the same way).
   */
  readonly virtualCamera?: VirtualCameraPolicy;
  /**
   * Called once with the session's evidence right before it is uploaded, for recording it
   * **with the person's consent only: the frames are biometric data**. Keep them no longer
   * than the purpose needs. A throwing callback does not stop the upload.
   */
  readonly onEvidence?: (evidence: LivenessEvidence) => void;
}

/** What a session does with a virtual-camera label; see {@link LivenessSessionOptions}. */
export type VirtualCameraPolicy = "report" | "refuse";

/** {@link LivenessSessionOptions} after validation and defaults. Read-only. */
export interface ResolvedLivenessSessionOptions {
  readonly serverUrl: URL;
  readonly clientToken: string;
  readonly sessionId: string;
  readonly assets: {
    readonly modelBaseUrl: URL;
    readonly wasmBaseUrl: URL;
  };
  readonly display: ChallengeDisplay;
  readonly source: MediaStream | null;
  readonly fetch: typeof fetch;
  readonly clock: () => number;
  readonly createWorker: () => Worker;
  readonly workerTimeouts: WorkerTimeouts;
  readonly positioningTimeoutMs: number;
  readonly uploadAttempts: number;
  readonly deviceId: string | null;
  /** `null` when remembering is disabled. */
  readonly rememberCamera: string | null;
  readonly virtualCamera: VirtualCameraPolicy;
  readonly onEvidence: ((evidence: LivenessEvidence) => void) | null;
}

const SESSION_ID = /^ses_[A-Za-z0-9_-]{22}$/;

function baseUrl(name: string, value: string | URL | undefined, base: string): URL {
  if (value === undefined) throw new TypeError(`${name} is required`);
  let url: URL;
  try {
    url = new URL(value, base);
  } catch (cause) {
    throw new TypeError(`${name} must be a URL`, { cause });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`${name} must be an http(s) URL`);
  }
  // A folder: relative file names resolve inside it.
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer`);
  }
  return value;
}

/** Starts the SDK's analysis worker (`@lumen/sdk/analysis-worker`) as a module worker. */
export function startAnalysisWorker(): Worker {
  return new Worker(new URL("./workers/analysis-worker.ts", import.meta.url), {
    type: "module",
    name: "lumen-analysis",
  });
}

/**
 * Validates {@link LivenessSessionOptions} once and fills the defaults, so a mistake throws a
 * `TypeError` where the session is created, not halfway through a capture.
 *
 * @throws {TypeError} When an option is missing or invalid.
 * @example
 * ```ts
 * const resolved = resolveLivenessSessionOptions({ serverUrl, clientToken, sessionId, assets, display });
 * resolved.assets.wasmBaseUrl.href; // modelBaseUrl when not given
 * ```
 */
export function resolveLivenessSessionOptions(
  options: LivenessSessionOptions,
): ResolvedLivenessSessionOptions {
  // Plain JavaScript callers can pass anything: check what the types promise.
  const given = options as Partial<LivenessSessionOptions> | null | undefined;
  if (typeof given !== "object" || given === null) throw new TypeError("options are required");
  const here = globalThis.location.href;
  const serverUrl = baseUrl("serverUrl", given.serverUrl, here);
  if (typeof given.clientToken !== "string" || given.clientToken.length === 0) {
    throw new TypeError("clientToken must be a non-empty string");
  }
  if (typeof given.sessionId !== "string" || !SESSION_ID.test(given.sessionId)) {
    throw new TypeError("sessionId must be a Lumen session id (ses_…)");
  }
  if (typeof given.assets !== "object") throw new TypeError("assets are required");
  const modelBaseUrl = baseUrl("assets.modelBaseUrl", given.assets.modelBaseUrl, here);
  const wasmBaseUrl = baseUrl("assets.wasmBaseUrl", given.assets.wasmBaseUrl ?? modelBaseUrl, here);
  const display = given.display;
  if (typeof display?.showIllumination !== "function") {
    throw new TypeError("display.showIllumination must be a function");
  }
  const optionalFunction = <T>(name: string, value: T | undefined): T | undefined => {
    if (value !== undefined && typeof value !== "function") {
      throw new TypeError(`${name} must be a function`);
    }
    return value;
  };
  if (given.source !== undefined && !(given.source instanceof MediaStream)) {
    throw new TypeError("source must be a MediaStream");
  }
  if (
    given.deviceId !== undefined &&
    (typeof given.deviceId !== "string" || given.deviceId.length === 0)
  ) {
    throw new TypeError("deviceId must be a non-empty string");
  }
  const remember = given.rememberCamera ?? CAMERA_CHOICE_STORAGE_KEY;
  if (remember !== false && (typeof remember !== "string" || remember.length === 0)) {
    throw new TypeError("rememberCamera must be a non-empty string or false");
  }
  const virtualCamera: unknown = given.virtualCamera ?? "report";
  if (virtualCamera !== "report" && virtualCamera !== "refuse") {
    throw new TypeError('virtualCamera must be "report" or "refuse"');
  }
  return Object.freeze({
    serverUrl,
    clientToken: given.clientToken,
    sessionId: given.sessionId,
    assets: Object.freeze({ modelBaseUrl, wasmBaseUrl }),
    display,
    source: given.source ?? null,
    fetch: optionalFunction("fetch", given.fetch) ?? globalThis.fetch.bind(globalThis),
    clock:
      optionalFunction("clock", given.clock) ?? (() => performance.timeOrigin + performance.now()),
    createWorker: optionalFunction("createWorker", given.createWorker) ?? startAnalysisWorker,
    workerTimeouts: Object.freeze({
      initMs: positiveInteger(
        "workerTimeouts.initMs",
        given.workerTimeouts?.initMs ?? DEFAULT_WORKER_TIMEOUTS.initMs,
      ),
      frameMs: positiveInteger(
        "workerTimeouts.frameMs",
        given.workerTimeouts?.frameMs ?? DEFAULT_WORKER_TIMEOUTS.frameMs,
      ),
    }),
    positioningTimeoutMs: positiveInteger(
      "positioningTimeoutMs",
      given.positioningTimeoutMs ?? 8000,
    ),
    uploadAttempts: positiveInteger("uploadAttempts", given.uploadAttempts ?? 3),
    deviceId: given.deviceId ?? null,
    rememberCamera: remember === false ? null : remember,
    virtualCamera,
    onEvidence: optionalFunction("onEvidence", given.onEvidence) ?? null,
  });
}
