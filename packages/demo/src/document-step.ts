import { PROTOCOL_LIMITS, REFERENCE_MEDIA_TYPES, type ReferenceKind } from "@lumen/protocol";
import { button, el } from "./el.ts";
import { referenceImageProblem } from "./reference-image-problem.ts";

/** The reference image the person chose on the document step. */
export interface ReferenceChoice {
  readonly image: File;
  readonly kind: ReferenceKind;
  /** An object URL of `image` for its previews; whoever receives the choice revokes it. */
  readonly url: string;
}

/** Options of {@link renderDocumentStep}. */
export interface DocumentStepOptions {
  /** The kind selected at first: the last one chosen; `document` by default. */
  readonly kind?: ReferenceKind;
  /** Why the verification server refused the previous image (its message), shown as an alert. */
  readonly refusal?: string;
  /** The chosen image, or `null` for "Continue without a document" (a liveness check only). */
  readonly onContinue: (choice: ReferenceChoice | null) => void;
  readonly onBack: () => void;
}

const KINDS: readonly (readonly [kind: ReferenceKind, label: string])[] = [
  ["document", "ID document (passport, identity card or driving licence)"],
  ["portrait", "Portrait photo (your face alone, like a passport photo)"],
];

/**
 * The onboarding's document step, below its heading: a choice between an ID document and a
 * portrait, the platform's file input (`capture="environment"`: the rear camera on phones, a
 * file picker on desktops), a preview of the chosen image, the page's own type and size check,
 * and "Continue without a document". Nothing leaves the page here: the flow attaches the image
 * to the session it creates for the liveness check.
 *
 * @example
 * ```ts
 * step.append(renderDocumentStep({ onContinue: (choice) => camera(choice), onBack: consent }));
 * ```
 */
export function renderDocumentStep(options: DocumentStepOptions): HTMLElement {
  let chosen: { readonly image: File; readonly url: string } | null = null;
  const drop = (): void => {
    if (chosen !== null) URL.revokeObjectURL(chosen.url);
    chosen = null;
  };

  const radios = KINDS.map(([kind, label]) => {
    const radio = el("input", {
      type: "radio",
      name: "reference-kind",
      id: `reference-kind-${kind}`,
      value: kind,
    });
    radio.checked = kind === (options.kind ?? "document");
    return { kind, radio, label: el("label", { for: radio.id }, label) };
  });
  const input = el("input", {
    type: "file",
    id: "reference-file",
    accept: REFERENCE_MEDIA_TYPES.join(","),
    capture: "environment",
    "aria-describedby": "reference-file-hint",
  });
  const problem = el(
    "p",
    { class: "problem", role: "alert" },
    options.refusal === undefined
      ? ""
      : `The bank's server could not use your photo: ${options.refusal} Please choose another photo.`,
  );
  const status = el("p", { class: "status", role: "status" });
  const preview = el("img", { class: "reference-preview", alt: "The photo you chose" });
  preview.hidden = true;
  const proceed = button(
    "Continue",
    () => {
      if (chosen === null) return;
      const kind = radios.find(({ radio }) => radio.checked)?.kind ?? "document";
      options.onContinue({ ...chosen, kind });
    },
    "primary",
  );
  proceed.disabled = true;

  input.addEventListener("change", () => {
    drop();
    preview.hidden = true;
    proceed.disabled = true;
    status.textContent = "";
    const image = input.files?.[0];
    if (image === undefined) {
      problem.textContent = "";
      return;
    }
    const why = referenceImageProblem(image);
    problem.textContent = why ?? "";
    if (why !== null) return;
    chosen = { image, url: URL.createObjectURL(image) };
    preview.src = chosen.url;
    preview.hidden = false;
    proceed.disabled = false;
    status.textContent = "Photo chosen. Check that the face on it is sharp and well lit.";
  });

  const megabytes = String(PROTOCOL_LIMITS.maxReferenceBytes / 1_000_000);
  return el(
    "div",
    { class: "document-form" },
    el(
      "p",
      {},
      "During the check we compare your face with the one on your ID document, to make sure the document is yours. Lay the document flat in good light, with all of it in the picture.",
    ),
    el(
      "fieldset",
      {},
      el("legend", {}, "What the photo shows"),
      ...radios.map(({ radio, label }) => el("p", { class: "choice" }, radio, " ", label)),
    ),
    el("p", {}, el("label", { for: input.id }, "Photo "), input),
    el(
      "p",
      { id: "reference-file-hint", class: "aside" },
      `A JPEG or PNG image of up to ${megabytes} MB. On a phone this opens the camera; on a computer, choose a file.`,
    ),
    problem,
    preview,
    status,
    el(
      "p",
      { class: "actions" },
      proceed,
      " ",
      button("Back", () => {
        drop();
        options.onBack();
      }),
    ),
    el(
      "p",
      {},
      button(
        "Continue without a document",
        () => {
          drop();
          options.onContinue(null);
        },
        "link",
      ),
    ),
  );
}
