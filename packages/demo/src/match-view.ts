import type { FaceMatch, ReferenceKind } from "@lumen/protocol";
import { el } from "./el.ts";

/** The two faces {@link renderMatch} shows side by side; `null` when the page has none. */
export interface MatchFaces {
  /** What the reference image shows; `null` when the session's result does not say. */
  readonly referenceKind: ReferenceKind | null;
  /** The image the person chose, an object URL the page owns. */
  readonly referenceImageUrl: string | null;
  /** An audit frame of the live capture. */
  readonly liveFrameUrl: string | null;
}

/** Each kind of reference image as the sentence names it, and as its caption. */
const SUBJECT: Readonly<
  Record<ReferenceKind, { readonly noun: string; readonly caption: string }>
> = {
  document: { noun: "the ID document", caption: "Your ID document" },
  portrait: { noun: "the portrait photo", caption: "Your portrait photo" },
};

/** A false-match rate as odds: 0.01 → "1 in 100". */
function odds(fmr: number): string {
  return fmr > 0 ? `1 in ${Math.round(1 / fmr).toLocaleString("en-GB")}` : "none measured";
}

function comparison(match: FaceMatch): string {
  const threshold = match.threshold.toFixed(2);
  if (match.similarity === null) return `no live face to compare (threshold ${threshold})`;
  const sign = match.similarity >= match.threshold ? "≥" : "<";
  return `${match.similarity.toFixed(2)} ${sign} ${threshold}`;
}

function face(url: string | null, alt: string, caption: string, missing: string): HTMLElement {
  return el(
    "figure",
    {},
    url === null
      ? el("p", { class: "missing" }, missing)
      : el("img", { src: url, alt, width: "160" }),
    el("figcaption", {}, caption),
  );
}

/**
 * The "Document match" block of the result page: whether the live face is the reference
 * image's person, the similarity against the policy's threshold, the false-match rate that
 * threshold was set for, and both faces side by side. The root carries `data-match`.
 *
 * @example
 * ```ts
 * if (session.match) root.append(renderMatch(session.match, { referenceKind: "document", referenceImageUrl, liveFrameUrl }));
 * ```
 */
export function renderMatch(match: FaceMatch, faces: MatchFaces): HTMLElement {
  const { noun, caption } = SUBJECT[faces.referenceKind ?? "document"];
  const same = match.decision === "match";
  return el(
    "section",
    { class: "face-match", "data-match": match.decision, "aria-labelledby": "face-match-title" },
    el("h3", { id: "face-match-title" }, "Document match"),
    el(
      "p",
      { class: `match-decision ${match.decision}` },
      el("strong", {}, same ? "Same person" : "Not the same person"),
      same
        ? `: the face in the live check matches the face on ${noun}.`
        : `: the face in the live check does not match the face on ${noun}.`,
    ),
    el(
      "dl",
      { class: "match-numbers" },
      el("dt", {}, "Similarity against the threshold"),
      el("dd", { "data-similarity": "" }, comparison(match)),
      el("dt", {}, "False-match rate the threshold was set for"),
      el("dd", { "data-fmr": "" }, odds(match.fmr)),
    ),
    el(
      "div",
      { class: "match-faces" },
      face(
        faces.referenceImageUrl,
        `${caption}, as you chose it`,
        caption,
        "The photo you chose is no longer on this page.",
      ),
      face(
        faces.liveFrameUrl,
        "Your face in the live check, kept by the verification server",
        "Live check",
        "The server kept no frame of the live check.",
      ),
    ),
  );
}
