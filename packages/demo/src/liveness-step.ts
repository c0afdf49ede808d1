import type { Policy, ReferenceKind } from "@lumen/protocol";
import {
  createLivenessSession,
  defineLumenLiveness,
  type LivenessEvidence,
  type LivenessSessionOptions,
  type LumenLivenessElement,
} from "@lumen/sdk";
import { attachReferenceImage, createRpSession, type RpSession } from "./rp-client.ts";
import { DEMO_ASSETS } from "./sdk-assets.ts";

/** Options of {@link mountLiveness}. */
export interface MountLivenessOptions {
  /**
   * The policy of the sessions it creates. A user who declines flashing gets `no-flash`
   * sessions from then on, whatever this says; `no-flash` here skips the warning.
   */
  readonly policy: Policy;
  /** Session options the attack lab replaces: a synthetic `source`, a worker, a `fetch`. */
  readonly sessionOverrides?: Partial<
    Pick<LivenessSessionOptions, "source" | "createWorker" | "fetch">
  >;
  /** The camera the user picked (`listCameras()`); the SDK's default choice otherwise. */
  readonly deviceId?: string;
  /** Press the element's start button at once (the warning still comes first). */
  readonly autoStart?: boolean;
  /**
   * Keep each attempt's evidence (frames, challenge, timings) in memory and hand it to
   * `onOutcome`, so the page can offer to donate it; off by default. Biometric data: nothing
   * leaves the page unless the person agrees.
   */
  readonly keepEvidence?: boolean;
  /**
   * The person's identity document or portrait: attached to each attempt's session right after
   * its creation, before the SDK starts on it, so the server compares the live face with it.
   * A refusal (`RpClientError`, e.g. `REFERENCE_UNUSABLE`) ends the attempt through `onError`.
   */
  readonly reference?: { readonly image: Blob; readonly kind: ReferenceKind };
}

/** How one attempt ended. */
export interface LivenessOutcome {
  /** The demo backend's session of this attempt. */
  readonly session: RpSession;
  readonly outcome: "result" | "error";
  /** The element's error code (`CAMERA_DENIED`, `NETWORK_FAILED`…); `null` with a result. */
  readonly errorCode: string | null;
  /** The attempt's policy (`no-flash` once the person declined flashing). */
  readonly policy: Policy;
  /** What the SDK uploaded, with `keepEvidence` and a finished upload; `null` otherwise. */
  readonly evidence: LivenessEvidence | null;
}

/** A mounted `<lumen-liveness>` that reports every attempt. */
export interface LivenessMount {
  readonly element: LumenLivenessElement;
  /** Removes the element: camera off, workers terminated. */
  readonly unmount: () => void;
}

/**
 * Mounts `<lumen-liveness>` in `container` and calls `onOutcome` after every attempt (the
 * element offers retries itself). Each attempt gets a new demo-backend session, created when
 * the element asks for one, i.e. after the photosensitivity choice, so a declined warning
 * yields a `no-flash` session. An attempt whose backend session could not be created, or whose
 * `reference` image was refused, reports through `onError` instead (there is no session to
 * name).
 *
 * @example
 * ```ts
 * const mount = watchLiveness(main, { policy: "standard" }, ({ outcome, session }) => {
 *   if (outcome === "result") void showResult(session.sessionId);
 * });
 * ```
 */
export function watchLiveness(
  container: HTMLElement,
  options: MountLivenessOptions,
  onOutcome: (outcome: LivenessOutcome) => void,
  onError: (error: unknown) => void = () => undefined,
): LivenessMount {
  defineLumenLiveness();
  const element = document.createElement("lumen-liveness");
  let noFlash = options.policy === "no-flash";
  if (noFlash) element.setAttribute("flash-policy", "no-flash");
  let current: RpSession | null = null;
  let currentPolicy: Policy = options.policy;
  let evidence: LivenessEvidence | null = null;
  let creationError: unknown = null;
  const outcome = (
    result: "result" | "error",
    errorCode: string | null,
  ): LivenessOutcome | null => {
    if (!current) return null;
    const kept = evidence;
    evidence = null;
    return { session: current, outcome: result, errorCode, policy: currentPolicy, evidence: kept };
  };

  element.createSession = async (display, componentOptions) => {
    current = null;
    evidence = null;
    creationError = null;
    currentPolicy = noFlash ? "no-flash" : options.policy;
    try {
      const created = await createRpSession(currentPolicy);
      if (options.reference) {
        const { image, kind } = options.reference;
        await attachReferenceImage(created.sessionId, image, kind);
      }
      current = created;
    } catch (error) {
      creationError = error;
      throw error;
    }
    return createLivenessSession({
      serverUrl: current.serverUrl,
      sessionId: current.sessionId,
      clientToken: current.clientToken,
      assets: DEMO_ASSETS,
      display,
      ...componentOptions,
      ...(options.deviceId === undefined ? {} : { deviceId: options.deviceId }),
      ...options.sessionOverrides,
      ...(options.keepEvidence === true
        ? {
            onEvidence: (given: LivenessEvidence) => {
              evidence = given;
            },
          }
        : {}),
    });
  };
  element.addEventListener("lumen-no-flash", () => {
    noFlash = true;
    element.setAttribute("flash-policy", "no-flash");
  });
  element.addEventListener("lumen-result", () => {
    const ended = outcome("result", null);
    if (ended) onOutcome(ended);
  });
  element.addEventListener("lumen-error", (event) => {
    const { code } = (event as CustomEvent<{ code: string }>).detail;
    const ended = outcome("error", code);
    if (ended) onOutcome(ended);
    else onError(creationError ?? new Error(code));
  });
  container.append(element);
  if (options.autoStart === true) element.start();
  return {
    element,
    unmount: () => {
      element.remove();
    },
  };
}

/**
 * Mounts `<lumen-liveness>` in `container` and resolves after the first attempt that reaches
 * a result or an error. The element stays mounted (remove it to stop the camera).
 *
 * @throws Rejects when the demo backend could not create the session or refused its reference
 * image.
 * @example
 * ```ts
 * const { session, outcome } = await mountLiveness(main, { policy: "standard" });
 * if (outcome === "result") renderResult(main, await fetchRpResult(session.sessionId));
 * ```
 */
export function mountLiveness(
  container: HTMLElement,
  options: MountLivenessOptions,
): Promise<LivenessOutcome> {
  return new Promise((resolve, reject) => {
    watchLiveness(container, options, resolve, reject);
  });
}
