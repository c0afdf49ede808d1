import { PROTOCOL_LIMITS, REFERENCE_MEDIA_TYPES } from "@lumen/protocol";

/** Bytes in MB (10⁶ bytes), rounded up to a tenth: just over the limit never reads as it. */
function megabytes(bytes: number): string {
  return String(Math.ceil(bytes / 100_000) / 10);
}

/**
 * Why an image chosen as a reference cannot be sent, in words for the person, or `null` when
 * it can: the verification server takes JPEG or PNG of at most
 * `PROTOCOL_LIMITS.maxReferenceBytes`. Whether it shows a usable face only the server says.
 *
 * @example
 * ```ts
 * const problem = referenceImageProblem(input.files[0]);
 * if (problem !== null) alert.textContent = problem;
 * ```
 */
export function referenceImageProblem(image: Blob): string | null {
  if (!REFERENCE_MEDIA_TYPES.some((type) => type === image.type)) {
    return `This file is not a JPEG or PNG photo (its type is ${image.type || "unknown"}). Choose a JPEG or PNG photo.`;
  }
  if (image.size === 0) return "This file is empty. Choose another photo.";
  if (image.size > PROTOCOL_LIMITS.maxReferenceBytes) {
    return `This photo is ${megabytes(image.size)} MB, over the limit of ${megabytes(PROTOCOL_LIMITS.maxReferenceBytes)} MB. Choose a smaller photo, or take it again at a lower resolution.`;
  }
  return null;
}
