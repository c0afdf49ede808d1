import type { ReferenceKind } from "@lumen/protocol";
import { cameraError, listCameras, LOCALE_EN, messageFor } from "@lumen/sdk";
import { renderDocumentStep, type ReferenceChoice } from "./document-step.ts";
import { renderDonationPanel } from "./donation-panel.ts";
import { button, el, type Child } from "./el.ts";
import { watchLiveness, type LivenessMount, type LivenessOutcome } from "./liveness-step.ts";
import { fetchRpResult, RpClientError } from "./rp-client.ts";
import { renderResult } from "./result-view.ts";

/** The steps of the onboarding flow, as `data-step` on each step's root. */
export type OnboardingStep =
  "welcome" | "consent" | "declined" | "document" | "camera" | "capture" | "result";

function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/**
 * Runs the bank-style onboarding in `app`: welcome → consent (decline ends it, no capture) →
 * ID document (optional; the server compares its face with the live one) → camera check → the
 * `<lumen-liveness>` check → the relying party's result. Each step's root has `data-step`;
 * focus moves to its heading and `announcer` (an `aria-live` region) names it.
 *
 * @example
 * ```ts
 * startOnboarding(document.querySelector("#app")!, document.querySelector("#announcer")!);
 * ```
 */
export function startOnboarding(app: HTMLElement, announcer: HTMLElement): void {
  let preview: MediaStream | null = null;
  let liveness: LivenessMount | null = null;
  /** The chosen ID document or portrait; its object URL lives until the flow leaves it. */
  let reference: ReferenceChoice | null = null;
  let referenceKind: ReferenceKind = "document";
  const dropReference = (): void => {
    if (reference !== null) URL.revokeObjectURL(reference.url);
    reference = null;
  };

  const show = (step: OnboardingStep, title: string, ...content: Child[]): HTMLElement => {
    liveness?.unmount();
    liveness = null;
    const heading = el("h1", { tabindex: "-1" }, title);
    const root = el("section", { class: "step", "data-step": step }, heading, ...content);
    app.replaceChildren(root);
    announcer.textContent = title;
    heading.focus();
    return root;
  };

  const welcome = (): void => {
    stopStream(preview);
    preview = null;
    dropReference();
    show(
      "welcome",
      "Open your account in a few minutes",
      el(
        "p",
        {},
        "To open an account we have to check that you are a real person in front of your camera, not a photo, a video or a deepfake. It takes about half a minute.",
      ),
      el(
        "ol",
        { class: "overview" },
        el("li", {}, "Read how we handle your data"),
        el("li", {}, "Photograph your ID document"),
        el("li", {}, "Check your camera"),
        el("li", {}, "Follow the on-screen prompts"),
      ),
      el("p", { class: "actions" }, button("Get started", consent, "primary")),
      el(
        "p",
        { class: "aside" },
        "Curious how it resists attacks? Try the ",
        el("a", { href: "/lab.html" }, "attack lab"),
        ".",
      ),
    );
  };

  const consent = (): void => {
    const agree = el("input", { type: "checkbox", id: "consent-agree" });
    const proceed = button(
      "Continue",
      () => {
        documentStep();
      },
      "primary",
    );
    proceed.disabled = true;
    agree.addEventListener("change", () => {
      proceed.disabled = !agree.checked;
    });
    show(
      "consent",
      "Your face check and your privacy",
      el("h2", {}, "What is captured"),
      el(
        "p",
        {},
        "A short selfie video from your camera. Your browser measures your face in it (position, head turns, liveness scores) and sends a few still frames of it with those measurements to our verification service. No sound is recorded.",
      ),
      el(
        "p",
        {},
        "If you add a photo of your ID document, it goes to our verification service, which compares the face on it with yours and keeps the face's measurements for the check, not the photo.",
      ),
      el("h2", {}, "Where it is processed"),
      el(
        "p",
        {},
        "On your device, by models that run in your browser, and on our verification server, which checks the frames again and decides. Nothing goes to any other company.",
      ),
      el("h2", {}, "How long it is kept"),
      el(
        "ul",
        {},
        el("li", {}, "Up to 4 audit frames: 24 hours, then deleted."),
        el("li", {}, "The decision and its reasons (the verdict): 30 days."),
        el("li", {}, "An unfinished check expires after 3 minutes."),
      ),
      el(
        "p",
        { class: "aside" },
        "These are the verification server's defaults; an operator can configure other periods. This demo deletes everything when it stops.",
      ),
      el(
        "p",
        {},
        "The check can show brief coloured flashes on your screen. If flashing lights could affect you, you will be able to choose a check without flashes.",
      ),
      el(
        "p",
        { class: "consent" },
        agree,
        " ",
        el(
          "label",
          { for: "consent-agree" },
          "I agree to this face check and to the processing described above.",
        ),
      ),
      el("p", { class: "actions" }, proceed, " ", button("I do not agree", declined)),
    );
  };

  const declined = (): void => {
    show(
      "declined",
      "No face check was made",
      el(
        "p",
        {},
        "Nothing was captured. You can open your account in a branch with an identity document instead, or start again here at any time.",
      ),
      el("p", { class: "actions" }, button("Start again", welcome, "primary")),
    );
  };

  const documentStep = (refusal?: string): void => {
    dropReference();
    show(
      "document",
      "Photograph your ID document or upload a photo of it",
      renderDocumentStep({
        kind: referenceKind,
        ...(refusal === undefined ? {} : { refusal }),
        onContinue: (choice) => {
          reference = choice;
          if (choice !== null) referenceKind = choice.kind;
          camera();
        },
        onBack: consent,
      }),
    );
  };

  const camera = (): void => {
    const status = el("p", { class: "status", role: "status" });
    const video = el("video", {
      muted: "",
      playsinline: "",
      class: "preview",
      "aria-label": "Camera preview",
    });
    video.muted = true;
    video.hidden = true;
    const picker = el("select", { id: "camera-picker" });
    const pickerRow = el(
      "p",
      { class: "picker" },
      el("label", { for: "camera-picker" }, "Camera "),
      picker,
    );
    pickerRow.hidden = true;
    const proceed = button(
      "My face is visible, continue",
      () => {
        capture(picker.value);
      },
      "primary",
    );
    proceed.disabled = true;

    const open = async (deviceId: string | null): Promise<void> => {
      stopStream(preview);
      preview = null;
      proceed.disabled = true;
      status.textContent = "Opening the camera…";
      try {
        preview = await navigator.mediaDevices.getUserMedia({
          video: deviceId === null ? { facingMode: "user" } : { deviceId: { exact: deviceId } },
          audio: false,
        });
      } catch (error) {
        status.textContent = messageFor(cameraError(error).code, LOCALE_EN);
        allow.hidden = false;
        return;
      }
      video.srcObject = preview;
      video.hidden = false;
      await video.play().catch(() => undefined);
      const active = preview.getVideoTracks()[0]?.getSettings().deviceId ?? "";
      // Labels are readable once access was granted: list them now.
      const cameras = (await listCameras()).filter((info) => !info.infrared);
      picker.replaceChildren(
        ...cameras.map(
          (info, i) =>
            new Option(
              info.label || `Camera ${String(i + 1)}`,
              info.deviceId,
              false,
              info.deviceId === active,
            ),
        ),
      );
      pickerRow.hidden = cameras.length < 2;
      status.textContent = "Camera on. Centre your face in good light, then continue.";
      proceed.disabled = false;
      // The button that had focus disappears: hand focus to the next action.
      const hadFocus = document.activeElement === allow;
      allow.hidden = true;
      if (hadFocus) proceed.focus();
    };
    picker.addEventListener("change", () => void open(picker.value));
    const allow = button("Turn on the camera", () => void open(null), "primary");
    show(
      "camera",
      "Check your camera",
      el(
        "p",
        {},
        "Your browser will ask for permission to use the camera. Pick the camera that faces you.",
      ),
      el("p", { class: "actions" }, allow),
      pickerRow,
      video,
      status,
      el(
        "p",
        { class: "actions" },
        proceed,
        " ",
        button("Back", () => {
          documentStep();
        }),
      ),
    );
  };

  const capture = (deviceId: string): void => {
    const host = el("div", { class: "liveness-host" });
    const note = el("p", { class: "status", role: "status" });
    show(
      "capture",
      "Verify that it is you",
      el("p", {}, "Press start, keep your face inside the oval and follow the prompts."),
      host,
      note,
    );
    // The SDK opens the camera itself; the check's preview stream is no longer needed.
    stopStream(preview);
    preview = null;
    liveness = watchLiveness(
      host,
      // The evidence is kept in the page only to offer its donation on the result step.
      {
        policy: "standard",
        keepEvidence: true,
        ...(deviceId === "" ? {} : { deviceId }),
        ...(reference === null ? {} : { reference }),
      },
      (ended) => {
        if (ended.outcome === "result") result(ended);
      },
      (error) => {
        // The server refused the document (no usable face, unreadable…): choose another; the
        // next attempt gets a new session.
        if (reference !== null && error instanceof RpClientError && error.status < 500) {
          documentStep(error.message);
          return;
        }
        note.textContent =
          "The bank's server could not start a check. Please try again in a moment.";
      },
    );
  };

  const result = (attempt: LivenessOutcome): void => {
    const { sessionId } = attempt.session;
    stopStream(preview);
    preview = null;
    const body = el(
      "div",
      { class: "result-body" },
      el("p", { role: "status" }, "Reading the result…"),
    );
    show(
      "result",
      "Your result",
      body,
      el("p", { class: "actions" }, button("Start again", welcome, "primary")),
    );
    fetchRpResult(sessionId).then(
      (rpResult) => {
        renderResult(
          body,
          rpResult,
          reference === null ? {} : { referenceImageUrl: reference.url },
        );
        if (attempt.evidence) {
          const verdict = rpResult.verdictVerified ? rpResult.verdict : null;
          renderDonationPanel(body, {
            sessionId,
            policy: attempt.policy,
            evidence: attempt.evidence,
            serverDecision: verdict && { decision: verdict.decision, reasons: verdict.reasons },
          });
        }
        const heading = body.querySelector<HTMLElement>("#rp-result-title");
        announcer.textContent = heading?.textContent ?? "";
        heading?.focus();
      },
      () => {
        body.replaceChildren(
          el("p", { role: "alert" }, "The result could not be read from the bank's server."),
          button("Try again", () => {
            result(attempt);
          }),
        );
      },
    );
  };

  welcome();
}
