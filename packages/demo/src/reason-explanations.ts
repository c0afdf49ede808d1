import type { ReasonCode } from "@lumen/protocol";

/** Each reason code in plain language, for the relying party's reviewer. */
export const REASON_EXPLANATIONS: Readonly<Record<ReasonCode, string>> = {
  SPOOF_SUSPECTED:
    "The face looked like a presentation attack (a photo, a screen or a mask): the liveness model's median score was below the policy's threshold.",
  DEEPFAKE_SUSPECTED:
    "The face looked synthesised or manipulated: the deepfake model's median realness was below the threshold.",
  CHALLENGE_FAILED: "The head did not turn the requested way far enough, or not in time.",
  FLASH_RESPONSE_MISSING:
    "The screen's coloured flashes were not reflected on the face, as they are on real skin in front of the screen.",
  NO_FACE: "No frame showed a face, or too many frames had none.",
  MULTIPLE_FACES: "At least one frame showed more than one face.",
  FACE_CHANGED:
    "The face changed between frames, as if a different person or image was swapped in.",
  CLIENT_TAMPERED:
    "What the browser reported about the frames disagreed with the server's own re-check of them: the client side was altered.",
  INJECTION_SUSPECTED:
    "The video looked injected: frames came too fast or too regularly for a camera, from a custom source, or from a camera whose name is a virtual camera's.",
  LOW_QUALITY: "The frames were too dark, too bright or too blurry to judge.",
  EXPIRED: "The session expired before evidence arrived.",
  VERIFICATION_ERROR:
    "The server could not finish verifying the evidence; nothing was decided on it.",
};
