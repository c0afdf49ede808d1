// One attack, end to end: the attack's camera and page hooks, the same `<lumen-liveness>` flow
// as the onboarding page, then what the relying party's backend learns, and why the server
// refused (or did not).
import type { Policy } from "@lumen/protocol";
import {
  createLivenessSession,
  defineLumenLiveness,
  LumenError,
  type ChallengeDisplay,
  type LumenErrorEventDetail,
} from "@lumen/sdk";
import { createRpSession, fetchRpResult, type RpResult, type RpSession } from "../rp-client.ts";
import { DEMO_ASSETS } from "../sdk-assets.ts";
import type { Attack } from "./attacks.ts";
import { loadMedia, type MediaFrame } from "./load-media.ts";
import { startSubject, type SimulatedSubject, type SubjectClip } from "./simulated-subject.ts";
import { studyFrames } from "./study-frames.ts";
import { installTamper, replayUpload, type Tamper } from "./tamper.ts";

/** Where the run shows itself. */
export interface AttackStage {
  /** Where `<lumen-liveness>` is mounted. */
  readonly component: HTMLElement;
  /** Where the attacker's camera picture is shown. */
  readonly camera: HTMLElement;
  /** Progress, for the page's live region. */
  status(message: string): void;
}

/** How an attack ended. Pure data. */
export interface AttackOutcome {
  readonly attack: Attack["id"];
  readonly sessionId: string | null;
  /** The server took the attack: a verified `pass` verdict, or the attacker's request succeeded. */
  readonly accepted: boolean;
  /** The verified verdict's decision, when there is one. */
  readonly decision: string | null;
  /** The verdict's reasons, or the refused request's error code. */
  readonly codes: readonly string[];
  /** Whether `codes` names the attack (one of `attack.expected`); true for the control. */
  readonly expectedCodeSeen: boolean;
  /** The relying party's view of the session, for the result view. */
  readonly result: RpResult | null;
}

/** The longest the lab holds a session waiting for it to expire. */
const MAX_EXPIRY_WAIT_MS = 10 * 60_000;
const EXPIRY_POLL_MS = 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Passes the display's paints on to the subject, which reacts as a person (or not) would. */
function relay(display: ChallengeDisplay, subject: SimulatedSubject): ChallengeDisplay {
  return {
    async showIllumination(light) {
      // The screen's light reaches the face when the paint does; the subject adds the camera's
      // lag (and its attack's delay) before its frames show it.
      const at = await display.showIllumination(light);
      subject.illuminate(light);
      return at;
    },
    async showPrompt(direction) {
      const at = display.showPrompt
        ? await display.showPrompt(direction)
        : performance.timeOrigin + performance.now();
      subject.prompt(direction);
      return at;
    },
  };
}

async function clipOf(
  attack: Attack,
  frames: readonly MediaFrame[],
  stage: AttackStage,
  label: string,
): Promise<SubjectClip> {
  if (attack.subject === "passive") return { kind: "passive", frames };
  const study = await studyFrames(frames, (done, total) => {
    stage.status(`Studying ${label}: frame ${String(done)} of ${String(total)}`);
  });
  return { kind: "adaptive", study };
}

/** How one run of the component ended. */
interface ComponentRun {
  /** The session it ran on, once the component asked for one. */
  readonly session: RpSession | null;
  /** The server's answer to the browser (`pass`, `fail`, `retry`), or `null` after an error. */
  readonly status: string | null;
  readonly errorCode: string | null;
}

/** Runs the component once, with the session `session()` gives, and resolves with how it ended. */
function runComponent(
  stage: AttackStage,
  attack: Attack,
  session: () => Promise<RpSession>,
  subject: SimulatedSubject,
): Promise<ComponentRun> {
  defineLumenLiveness();
  const element = document.createElement("lumen-liveness");
  if (attack.trackLabel !== undefined) element.setAttribute("virtual-camera", "report");
  let used: RpSession | null = null;
  element.createSession = async (display, options) => {
    const rp = await session();
    used = rp;
    return createLivenessSession({
      serverUrl: rp.serverUrl,
      sessionId: rp.sessionId,
      clientToken: rp.clientToken,
      assets: DEMO_ASSETS,
      display: relay(display, subject),
      source: subject.stream,
      rememberCamera: false,
      ...options,
    });
  };
  stage.component.replaceChildren(element);
  return new Promise((resolve) => {
    element.addEventListener("lumen-result", (event) => {
      const { status } = (event as CustomEvent<{ status: string }>).detail;
      resolve({ session: used, status, errorCode: null });
    });
    element.addEventListener("lumen-error", (event) => {
      const { code } = (event as CustomEvent<LumenErrorEventDetail>).detail;
      resolve({ session: used, status: null, errorCode: code });
    });
    element.start();
  });
}

async function waitForExpiry(session: RpSession, stage: AttackStage): Promise<void> {
  const giveUpAt = Date.now() + MAX_EXPIRY_WAIT_MS;
  for (;;) {
    const { session: state } = await fetchRpResult(session.sessionId);
    if (state.status === "expired") return;
    if (Date.now() > giveUpAt) throw new Error("The session did not expire in time");
    const left = Math.max(0, Math.round((session.expiresAt - Date.now()) / 1000));
    stage.status(`Holding the session until it expires (about ${String(left)} s left)…`);
    await sleep(EXPIRY_POLL_MS);
  }
}

/** A second capture on a session that is already used: the error code the SDK gets. */
async function reuse(session: RpSession, subject: SimulatedSubject): Promise<string | null> {
  const again = createLivenessSession({
    serverUrl: session.serverUrl,
    sessionId: session.sessionId,
    clientToken: session.clientToken,
    assets: DEMO_ASSETS,
    display: {
      showIllumination: () => Promise.resolve(performance.timeOrigin + performance.now()),
    },
    source: subject.stream,
    rememberCamera: false,
  });
  try {
    await again.start();
    return null;
  } catch (error) {
    return error instanceof LumenError ? error.code : "INTERNAL";
  } finally {
    again.close();
  }
}

/**
 * Runs `attack` with the chosen media under `policy` and reports the outcome.
 *
 * @throws {MediaError} When the media cannot be used; other errors when the demo backend fails.
 * @example
 * ```ts
 * const outcome = await runAttack(attackById("still-photo"), [file], "standard", stage);
 * ```
 */
export async function runAttack(
  attack: Attack,
  files: readonly File[],
  policy: Policy,
  stage: AttackStage,
): Promise<AttackOutcome> {
  const [first, second] = files;
  if (!first) throw new Error("Choose the attack's media first");
  if (attack.media === "two-videos" && !second) throw new Error("Choose the second video too");
  stage.status("Decoding the media…");
  const framesA = await loadMedia(first);
  const frameA = framesA[0];
  if (!frameA) throw new Error("The media has no frame");
  const clips: [SubjectClip] | [SubjectClip, SubjectClip] = [
    await clipOf(attack, framesA, stage, "the video"),
  ];
  if (attack.media === "two-videos" && second) {
    const framesB = await loadMedia(second, {
      width: frameA.bitmap.width,
      height: frameA.bitmap.height,
    });
    clips.push(await clipOf(attack, framesB, stage, "the second video"));
  }
  const subject = startSubject(stage.camera, {
    clips,
    answerFlashes: attack.answerFlashes,
    answerPrompts: attack.answerPrompts,
    mode: attack.relight.mode,
    delayMs: attack.relight.delayMs,
    ...(attack.trackLabel === undefined ? {} : { trackLabel: attack.trackLabel }),
  });
  let tamper: Tamper | null = null;
  try {
    let held: RpSession | null = null;
    if (attack.waitForExpiry) {
      held = await createRpSession(policy);
      await waitForExpiry(held, stage);
    }
    if (attack.tamper) tamper = installTamper(attack.tamper);
    stage.status("Running the check with the attack's camera…");
    const run = await runComponent(
      stage,
      attack,
      () => (held ? Promise.resolve(held) : createRpSession(policy)),
      subject,
    );
    const { session } = run;
    const result = session ? await fetchRpResult(session.sessionId) : null;
    const decision = result?.verdictVerified ? (result.verdict?.decision ?? null) : null;
    let accepted = run.errorCode === null && decision === "pass";
    let codes: string[] =
      run.errorCode === null ? [...(result?.verdict?.reasons ?? [])] : [run.errorCode];
    if (attack.after === "replay-upload") {
      const upload = tamper?.upload;
      if (!upload) throw new Error("The SDK sent no evidence to replay");
      stage.status("Replaying the recorded upload…");
      const replayed = await replayUpload(upload);
      accepted = replayed.status < 300;
      codes = replayed.code === null ? [] : [replayed.code];
    } else if (attack.after === "reuse-session") {
      if (!session) throw new Error("The first capture got no session");
      stage.status("Capturing again on the used session…");
      const code = await reuse(session, subject);
      accepted = code === null;
      codes = code === null ? [] : [code];
    }
    return {
      attack: attack.id,
      sessionId: session?.sessionId ?? null,
      accepted,
      decision,
      codes,
      expectedCodeSeen:
        attack.expected.length === 0 || codes.some((code) => attack.expected.includes(code)),
      result,
    };
  } finally {
    tamper?.restore();
    subject.stop();
  }
}
