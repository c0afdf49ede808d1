import type { Challenge, PoseDirection } from "@lumen/protocol";

/**
 * Live guidance for the user. Positioning hints come from each analysed frame; `turn-*` and
 * `look-*` repeat a pose prompt until the head follows, then `pose-reached`.
 */
export type GuidanceHint =
  | "no-face"
  | "several-faces"
  | "too-far"
  | "too-close"
  | "off-oval"
  | "hold-still"
  | `pose-${PoseDirection}`
  | "pose-reached";

/** The part of an analysed frame the positioning hint needs. */
export interface GuidanceInput {
  readonly width: number;
  readonly height: number;
  readonly faces: number;
  readonly face: { readonly box: { x: number; y: number; width: number; height: number } } | null;
}

/** Face width as a fraction of the oval's width outside which the face is too far / too close. */
export const FACE_TO_OVAL_WIDTH = { min: 0.55, max: 1.35 } as const;

/**
 * The positioning hint for one analysed frame: one face, inside the server's oval, at a size
 * the models read well. `hold-still` means everything is right.
 *
 * @example
 * ```ts
 * const hint = guidanceHint(result, challenge.oval); // "too-far"
 * ```
 */
export function guidanceHint(frame: GuidanceInput, oval: Challenge["oval"]): GuidanceHint {
  if (frame.faces > 1) return "several-faces";
  if (frame.faces === 0 || frame.face === null) return "no-face";
  const { box } = frame.face;
  const relativeWidth = box.width / frame.width / oval.width;
  if (relativeWidth < FACE_TO_OVAL_WIDTH.min) return "too-far";
  if (relativeWidth > FACE_TO_OVAL_WIDTH.max) return "too-close";
  const dx = ((box.x + box.width / 2) / frame.width - oval.centerX) / (oval.width / 2);
  const dy = ((box.y + box.height / 2) / frame.height - oval.centerY) / (oval.height / 2);
  if (dx * dx + dy * dy > 0.5) return "off-oval";
  return "hold-still";
}
