// The attack lab page: pick an attack and its media, run the same flow as the onboarding page
// with the attack as the camera, and see what the relying party learns and why.
import type { Policy } from "@lumen/protocol";
import { renderResult } from "../result-view.ts";
import "./lab.css";
import { ATTACKS, attackById, type Attack } from "./attacks.ts";
import { runAttack, type AttackOutcome } from "./run-attack.ts";

function required<T extends Element>(selector: string, type: abstract new () => T): T {
  const found = document.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`lab.html lacks ${selector}`);
  return found;
}

const form = required("#attack-form", HTMLFormElement);
const list = required("#attack-list", HTMLFieldSetElement);
const mediaA = required("#media-a", HTMLInputElement);
const mediaB = required("#media-b", HTMLInputElement);
const mediaBField = required("#media-b-field", HTMLElement);
const policySelect = required("#policy", HTMLSelectElement);
const run = required("#run", HTMLButtonElement);
const status = required("#status", HTMLElement);
const component = required("#component", HTMLElement);
const camera = required("#camera", HTMLElement);
const outcomeView = required("#outcome", HTMLElement);
const resultView = required("#result", HTMLElement);

function selected(): Attack {
  const checked = list.querySelector<HTMLInputElement>("input[name=attack]:checked");
  return attackById(checked?.value ?? "cooperative");
}

function showMediaFields(attack: Attack): void {
  mediaA.accept =
    attack.media === "photo"
      ? "image/*"
      : attack.media === "photo-or-video"
        ? "image/*,video/*"
        : "video/*";
  mediaBField.hidden = attack.media !== "two-videos";
  policySelect.value = attack.policy;
}

function renderList(initial: string): void {
  for (const attack of ATTACKS) {
    const label = document.createElement("label");
    label.className = "attack";
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "attack";
    input.value = attack.id;
    input.checked = attack.id === initial;
    const title = document.createElement("strong");
    title.textContent = attack.title;
    const description = document.createElement("span");
    description.textContent = attack.description;
    label.append(input, title, description);
    list.append(label);
  }
}

function renderOutcome(attack: Attack, outcome: AttackOutcome): void {
  outcomeView.dataset.attack = outcome.attack;
  outcomeView.dataset.sessionId = outcome.sessionId ?? "";
  outcomeView.dataset.accepted = String(outcome.accepted);
  outcomeView.dataset.decision = outcome.decision ?? "none";
  outcomeView.dataset.codes = outcome.codes.join(",");
  outcomeView.dataset.expectedCodeSeen = String(outcome.expectedCodeSeen);
  const heading = document.createElement("h2");
  heading.textContent =
    attack.id === "cooperative"
      ? outcome.accepted
        ? "The cooperative subject passed"
        : "The cooperative subject was refused"
      : outcome.accepted
        ? "The attack was ACCEPTED"
        : "The attack was refused";
  const codes = document.createElement("p");
  codes.textContent =
    outcome.codes.length === 0
      ? "The server gave no reason code."
      : `The server's answer: ${outcome.codes.join(", ")}.`;
  const expected = document.createElement("p");
  expected.textContent =
    attack.expected.length === 0
      ? ""
      : outcome.expectedCodeSeen
        ? `It names the attack (expected one of ${attack.expected.join(", ")}).`
        : `It does not name the attack (expected one of ${attack.expected.join(", ")}).`;
  outcomeView.replaceChildren(heading, codes, expected);
  outcomeView.hidden = false;
}

async function onRun(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const attack = selected();
  const files = [mediaA.files?.[0], mediaB.files?.[0]].filter((f): f is File => f !== undefined);
  run.disabled = true;
  outcomeView.hidden = true;
  delete outcomeView.dataset.accepted;
  delete outcomeView.dataset.failed;
  resultView.replaceChildren();
  camera.replaceChildren();
  try {
    const outcome = await runAttack(attack, files, policySelect.value as Policy, {
      component,
      camera,
      status(message) {
        status.textContent = message;
      },
    });
    renderOutcome(attack, outcome);
    if (outcome.result) renderResult(resultView, outcome.result);
    status.textContent = "Done.";
  } catch (error) {
    status.textContent = `The attack could not run: ${error instanceof Error ? error.message : String(error)}`;
    outcomeView.dataset.failed = "true";
  } finally {
    run.disabled = false;
  }
}

const initial = new URLSearchParams(location.search).get("attack") ?? "cooperative";
renderList(ATTACKS.some((a) => a.id === initial) ? initial : "cooperative");
showMediaFields(selected());
list.addEventListener("change", () => {
  showMediaFields(selected());
});
form.addEventListener("submit", (event) => {
  void onRun(event);
});
