// The attack lab's catalogue: each attack, what media it needs, how the simulated camera and the
// tampered page behave, and what the server is expected to answer.
import { ILLUMINATION_REASONS, type Policy } from "@lumen/protocol";
import type { RelightMode } from "@lumen/relight";
import type { TamperMode } from "./tamper.ts";

/** Every attack the lab runs (and the control, a cooperative subject). */
export const ATTACK_IDS = [
  "cooperative",
  "still-photo",
  "video-replay",
  "no-flash-response",
  "animated-photo",
  "face-swap",
  "virtual-camera",
  "tampered-client",
  "token-replay",
  "forged-token",
  "used-session",
  "expired-session",
  "ladder-1",
  "ladder-2",
  "ladder-3",
  "ladder-4-150",
  "ladder-4-300",
  "ladder-5",
  "ladder-6",
] as const;

export type AttackId = (typeof ATTACK_IDS)[number];

/** The media an attack plays. */
export type AttackMedia = "photo" | "video" | "two-videos" | "photo-or-video";

/** One attack of the lab. Pure data. */
export interface Attack {
  readonly id: AttackId;
  readonly title: string;
  /** What the attacker does, for the page. */
  readonly description: string;
  readonly media: AttackMedia;
  /** Play the media as it is (`passive`) or answer the challenge with it (`adaptive`). */
  readonly subject: "passive" | "adaptive";
  readonly answerFlashes: boolean;
  readonly answerPrompts: boolean;
  /** The track's label, as a virtual camera reports it. */
  readonly trackLabel?: string;
  readonly tamper: TamperMode | null;
  /** What the attacker does once the SDK is done. */
  readonly after: "replay-upload" | "reuse-session" | null;
  /** Hold the session until the server says it expired, then use it. */
  readonly waitForExpiry: boolean;
  /**
   * Reason codes (of the verdict) or error codes (of the refused request) that name this attack;
   * the lab checks that the server's answer contains at least one. Empty for the control.
   */
  readonly expected: readonly string[];
  /** Policy to run under unless the page picks another. */
  readonly policy: Policy;
  /**
   * How the simulated camera answers the screen's light (`@lumen/relight`'s modes), and how
   * late after the genuine camera lag: the rungs of the adaptive-attack ladder.
   */
  readonly relight: { readonly mode: RelightMode; readonly delayMs: number };
  /**
   * The strongest attack the project can build: measured and reported, not expected to be
   * refused (see docs/threat-model.md).
   */
  readonly measured: boolean;
}

const base = {
  subject: "adaptive",
  answerFlashes: true,
  answerPrompts: true,
  tamper: null,
  after: null,
  waitForExpiry: false,
  policy: "standard",
  relight: { mode: "3d", delayMs: 0 },
  measured: false,
} as const;

const rung = {
  ...base,
  media: "photo-or-video",
  expected: ILLUMINATION_REASONS,
} as const;

/** The lab's attacks, in the order the page lists them. */
export const ATTACKS: readonly Attack[] = [
  {
    ...base,
    id: "cooperative",
    title: "Control: a cooperative subject",
    description:
      "A real face video that answers the challenge as a person would: the face reflects each flash and turns when asked (with the video's own turns, or a synthesised turn when it has none). Not an attack: it should pass. It is also exactly what an adaptive injection attack looks like — see the README on what that means.",
    media: "video",
    expected: [],
  },
  {
    ...base,
    id: "still-photo",
    title: "Printed or still photo",
    description:
      "A photo held in front of the camera: it never turns and never reflects the screen's colours.",
    media: "photo",
    subject: "passive",
    answerFlashes: false,
    answerPrompts: false,
    expected: ["SPOOF_SUSPECTED", "CHALLENGE_FAILED", ...ILLUMINATION_REASONS],
  },
  {
    ...base,
    id: "video-replay",
    title: "Replayed video",
    description:
      "A recorded video of the victim replayed to the camera, as it is: its head moves when the video does, not when asked, and the screen's colours do not reach the face.",
    media: "video",
    subject: "passive",
    answerFlashes: false,
    answerPrompts: false,
    expected: [...ILLUMINATION_REASONS, "CHALLENGE_FAILED"],
  },
  {
    ...base,
    id: "no-flash-response",
    title: "Screen replay that follows the prompts",
    description:
      "A replay driven by an attacker who picks the moments where the head turns as asked — but a screen showing a video does not reflect the verifying screen's flashes.",
    media: "video",
    answerFlashes: false,
    expected: ILLUMINATION_REASONS,
  },
  {
    ...base,
    id: "animated-photo",
    title: "Animated photo (photo, deepfake or AI face that answers the challenge)",
    description:
      "One photo re-rendered as an adaptive attacker would: it reflects each flash and turns in 3D when asked. Only the face models stand between it and a pass: the anti-spoofing model (a print or a screen) and the deepfake model.",
    media: "photo",
    expected: ["SPOOF_SUSPECTED", "DEEPFAKE_SUSPECTED"],
  },
  {
    ...base,
    id: "face-swap",
    title: "Face swap mid-session",
    description:
      "Two different people spliced: the second video takes over shortly after the challenge starts, both answering it.",
    media: "two-videos",
    expected: ["FACE_CHANGED"],
  },
  {
    ...base,
    id: "virtual-camera",
    title: "Virtual camera",
    description:
      "A cooperative video injected through a virtual camera (its track says “OBS Virtual Camera”). The component refuses such cameras by default; here it is set to report them, so the server decides.",
    media: "video",
    trackLabel: "OBS Virtual Camera",
    expected: ["INJECTION_SUSPECTED"],
  },
  {
    ...base,
    id: "tampered-client",
    title: "Tampered client (lies about its scores)",
    description:
      "A photo, with the page hooked so the result token claims a perfect live face on every frame, re-signed with the SDK's own device key.",
    media: "photo-or-video",
    subject: "passive",
    answerFlashes: false,
    answerPrompts: false,
    tamper: "lie-about-scores",
    expected: ["CLIENT_TAMPERED"],
  },
  {
    ...base,
    id: "token-replay",
    title: "Replayed token",
    description:
      "The evidence upload of a session that passed, recorded and sent again: the same token, the same frames.",
    media: "video",
    tamper: "record",
    after: "replay-upload",
    expected: ["REPLAYED", "SESSION_STATE_CONFLICT"],
  },
  {
    ...base,
    id: "forged-token",
    title: "Forged token",
    description:
      "The result token re-signed with a key of the attacker's, not the device key the session was started with.",
    media: "video",
    tamper: "forge-signature",
    expected: ["TOKEN_INVALID"],
  },
  {
    ...base,
    id: "used-session",
    title: "Second attempt on a used session",
    description:
      "After a session completed, the same session id and client token are used for another capture.",
    media: "video",
    after: "reuse-session",
    expected: ["SESSION_STATE_CONFLICT", "SESSION_EXPIRED", "UNAUTHORIZED", "TOKEN_INVALID"],
  },
  {
    ...base,
    id: "expired-session",
    title: "Expired session",
    description:
      "A session held until the server reports it expired, then used. The lab waits for the session's lifetime (3 minutes by default).",
    media: "video",
    waitForExpiry: true,
    expected: ["SESSION_EXPIRED", "UNAUTHORIZED", "TOKEN_INVALID"],
  },
  {
    ...rung,
    id: "ladder-1",
    title: "Ladder 1: uniform tint of the face box",
    description:
      "An injected stream that blends each step's colour into the face box, as the lab's cooperative subject did before the illumination checks: both sides of the face answer a split screen alike.",
    relight: { mode: "tint-face", delayMs: 0 },
  },
  {
    ...rung,
    id: "ladder-2",
    title: "Ladder 2: uniform tint of the whole frame",
    description:
      "The whole frame takes each step's colour: the wall behind the face answers the screen as strongly as the face, which light falling off with distance never does.",
    relight: { mode: "tint-frame", delayMs: 0 },
  },
  {
    ...rung,
    id: "ladder-3",
    title: "Ladder 3: flat relight",
    description:
      "The image lit as a flat sheet would be (a print or a screen held up): the light is right in colour and timing but every part of the face faces the screen alike.",
    relight: { mode: "flat", delayMs: 0 },
  },
  {
    ...rung,
    id: "ladder-4-150",
    title: "Ladder 4: 3D relight, 150 ms late",
    description:
      "A full 3D relight from the face mesh, rendered after the attacker saw the screen change: 150 ms later than a camera shows it.",
    relight: { mode: "3d", delayMs: 150 },
  },
  {
    ...rung,
    id: "ladder-4-300",
    title: "Ladder 4: 3D relight, 300 ms late",
    description: "The same 3D relight, 300 ms late.",
    relight: { mode: "3d", delayMs: 300 },
  },
  {
    ...rung,
    id: "ladder-5",
    title: "Ladder 5: 3D relight with the halves swapped",
    description:
      "A 3D relight that lights the face from the wrong side: each split screen's left half on the right.",
    relight: { mode: "swapped", delayMs: 0 },
  },
  {
    ...rung,
    id: "ladder-6",
    title: "Ladder 6: 3D relight on time (the simulator)",
    description:
      "The project's full simulator: the screen's light on the face mesh, in linear light, on time, with the skin's albedo and sensor noise. The strongest attack the project can build; measured, and what would stop it is in docs/threat-model.md.",
    expected: [],
    measured: true,
  },
];

/**
 * The attack with this id.
 *
 * @throws {RangeError} When there is none.
 */
export function attackById(id: string): Attack {
  const found = ATTACKS.find((attack) => attack.id === id);
  if (!found) throw new RangeError(`No attack "${id}"`);
  return found;
}
