/**
 * How a passive classifier's input is cut from the frame around the face's landmark box:
 * - `square`: a square of the box's longer side times `scale` about its centre, pixels outside
 *   the frame filled by reflection (MiniFASNet, MesoNet, HyperFAS);
 * - `inside-frame`: the box itself scaled by `scale` about its centre (its aspect kept), the
 *   scale shrunk and the box shifted until it lies inside the frame, as Silent-Face's
 *   `CropImage` does; the crop is then stretched to the square input.
 */
export interface PassiveCrop {
  readonly kind: "square" | "inside-frame";
  /** Enlargement of the face box, 1 = the box itself. */
  readonly scale: number;
}

/**
 * How the model's raw output is read as a score, always log-odds that the face is bona fide
 * (above 0 reads as real), so scores of different models share one unit:
 * - `logit-margin`: two or more logits, the `real` one minus the `attack` one;
 * - `softmax`: logits of several classes, log-odds of class `real` against all the others;
 * - `sigmoid`: one probability, of a bona fide face when `positive` is `"real"`, of an attack
 *   when it is `"attack"`.
 */
export type PassiveOutput =
  | { readonly kind: "logit-margin"; readonly real: number; readonly attack: number }
  | { readonly kind: "softmax"; readonly real: number; readonly classes: number }
  | { readonly kind: "sigmoid"; readonly positive: "real" | "attack" };

/**
 * A presentation-attack or deepfake classifier on one face crop: everything needed to feed it
 * and read it, as data, so the built-in models and an operator-declared one take one path.
 */
export interface PassiveModel {
  /** The model's id: a `MODEL_CATALOG` id, or the operator's own for a declared model. */
  readonly id: string;
  /** What it detects: `spoof` (prints, screens, masks) or `deepfake` (synthetic faces). */
  readonly detects: "spoof" | "deepfake";
  readonly crop: PassiveCrop;
  /** Side of the square input in pixels. */
  readonly size: number;
  readonly layout: "NCHW" | "NHWC";
  readonly colourOrder: "RGB" | "BGR";
  /** Each channel value (0..255) is multiplied by this… */
  readonly scale: number;
  /** …and then this is added. */
  readonly offset: number;
  /** Name of the input tensor. */
  readonly inputName: string;
  /** Name of the output tensor read. */
  readonly outputName: string;
  readonly output: PassiveOutput;
}
