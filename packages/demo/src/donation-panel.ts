// "Donate this session to improve Lumen": the page offers a finished session's evidence to the
// demo's recordings, only after an explicit consent tick, with the person's own label.
import type { Decision, Policy, ReasonCode, RecordedSessionLabel } from "@lumen/protocol";
import type { LivenessEvidence } from "@lumen/sdk";
import { el } from "./el.ts";
import { buildRecordedSession } from "./recorded-session.ts";
import { postRecording, RpClientError } from "./rp-client.ts";

/** Attack species a person can pick, as recording folder names. */
export const DONATION_ATTACK_SPECIES = [
  "print",
  "screen-replay",
  "video-replay",
  "mask",
  "deepfake",
  "synthetic",
  "other",
] as const;

/** Options of {@link renderDonationPanel}. */
export interface DonationPanelOptions {
  readonly sessionId: string;
  readonly policy: Policy;
  /** What the SDK uploaded (`onEvidence`). */
  readonly evidence: LivenessEvidence;
  /** The verified verdict's decision, `null` without one. */
  readonly serverDecision: {
    readonly decision: Decision;
    readonly reasons: readonly ReasonCode[];
  } | null;
  /** The label preselected: bona fide (`live`) by default; the lab names its attack. */
  readonly label?: RecordedSessionLabel;
  /** Test seam: epoch ms. */
  readonly clock?: () => number;
}

function failure(error: unknown): string {
  if (error instanceof RpClientError && error.code === "NOT_FOUND") {
    return "This demo is not collecting sessions right now. Nothing was sent.";
  }
  if (error instanceof RpClientError && error.code === "CONFLICT") {
    return "This session was already donated.";
  }
  return `The session could not be donated: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Appends the donation offer to `container` (`data-donation` on its root): what would be sent,
 * a consent checkbox (unticked), the label (a live person or an attack and its species) and
 * the donate button, enabled only while the box is ticked. The evidence stays in the page and
 * is dropped after a donation; nothing is sent without the tick and the press.
 *
 * @example
 * ```ts
 * renderDonationPanel(section, { sessionId, policy, evidence, serverDecision: null });
 * ```
 */
export function renderDonationPanel(container: HTMLElement, options: DonationPanelOptions): void {
  const clock = options.clock ?? Date.now;
  let evidence: LivenessEvidence | null = options.evidence;
  const label = options.label ?? { kind: "bona-fide", species: "live" };
  const frames = options.evidence.frames.length;

  const consent = el("input", { type: "checkbox", id: "donate-consent" });
  let consentAt: number | null = null;
  const live = el("input", {
    type: "radio",
    name: "donate-kind",
    id: "donate-live",
    value: "bona-fide",
  });
  const attack = el("input", {
    type: "radio",
    name: "donate-kind",
    id: "donate-attack",
    value: "attack",
  });
  live.checked = label.kind === "bona-fide";
  attack.checked = label.kind === "attack";
  const species = el("select", { id: "donate-species", "aria-label": "Attack kind" });
  const choices: readonly string[] = DONATION_ATTACK_SPECIES.includes(
    label.species as (typeof DONATION_ATTACK_SPECIES)[number],
  )
    ? DONATION_ATTACK_SPECIES
    : [label.species, ...DONATION_ATTACK_SPECIES];
  for (const name of choices) {
    const option = el("option", { value: name }, name);
    option.selected = label.kind === "attack" && name === label.species;
    species.append(option);
  }
  const donate = el(
    "button",
    { type: "button", id: "donate" },
    "Donate this session to improve Lumen",
  );
  const status = el("p", { class: "status", role: "status" });

  const sync = (): void => {
    species.disabled = !attack.checked;
    donate.disabled = evidence === null || !consent.checked;
  };
  consent.addEventListener("change", () => {
    consentAt = consent.checked ? clock() : null;
    sync();
  });
  live.addEventListener("change", sync);
  attack.addEventListener("change", sync);
  donate.addEventListener("click", () => {
    const kept = evidence;
    if (kept === null || !consent.checked || consentAt === null) return;
    const chosen: RecordedSessionLabel = attack.checked
      ? { kind: "attack", species: species.value }
      : { kind: "bona-fide", species: label.kind === "bona-fide" ? label.species : "live" };
    donate.disabled = true;
    status.textContent = "Sending…";
    let session;
    try {
      session = buildRecordedSession({
        sessionId: options.sessionId,
        policy: options.policy,
        evidence: kept,
        label: chosen,
        serverDecision: options.serverDecision,
        consentAt,
        now: clock(),
      });
    } catch (error) {
      status.textContent = failure(error);
      sync();
      return;
    }
    postRecording(session, kept.frames).then(
      () => {
        evidence = null;
        consent.disabled = true;
        status.textContent = "Thank you: the session was donated.";
        sync();
      },
      (error: unknown) => {
        status.textContent = failure(error);
        sync();
      },
    );
  });
  sync();

  container.append(
    el(
      "section",
      { class: "donation", "data-donation": "", "aria-labelledby": "donation-title" },
      el("h2", { id: "donation-title" }, "Help improve Lumen (optional)"),
      el(
        "p",
        {},
        `You can give this check to the people who measure Lumen's error rates: the ${String(frames)} still images of your face the check sent, the challenge it showed, its timings and the label you pick below. They are stored by this demo's operator for evaluation only and never sent anywhere else. Nothing is sent unless you tick the box and press the button.`,
      ),
      el(
        "p",
        { class: "consent" },
        consent,
        " ",
        el(
          "label",
          { for: "donate-consent" },
          "I agree to donate the images of my face and the data of this check for evaluating Lumen.",
        ),
      ),
      el(
        "fieldset",
        {},
        el("legend", {}, "What was in front of the camera?"),
        el("p", {}, live, " ", el("label", { for: "donate-live" }, "Me, live")),
        el(
          "p",
          {},
          attack,
          " ",
          el("label", { for: "donate-attack" }, "An attack (a photo, a screen, a mask…): "),
          species,
        ),
      ),
      el("p", { class: "actions" }, donate),
      status,
    ),
  );
}
