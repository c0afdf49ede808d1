import type { ReasonCode } from "@lumen/protocol";

/** Each reason code in plain language, for the relying party's reviewer. */
export const REASON_EXPLANATIONS: Readonly<Record<ReasonCode, string>> = {
  SPOOF_SUSPECTED:
    "The face looked like a presentation attack (a photo, a screen or a mask): the liveness model's median score was below the policy's threshold.",
  DEEPFAKE_SUSPECTED:
    "The face looked synthesised or manipulated: the deepfake model's median realness was below the threshold.",
  CHALLENGE_FAILED: "The head did not turn the requested way far enough, or not in time.",
  FLASH_RESPONSE_MISSING:
    "The screen's coloured light left no measurable reflection on the face, as it does on real skin in front of the screen.",
  REFLECTION_TIMING:
    "The face's reflections did not follow the screen's light sequence in time, as a live camera in front of the screen sees them: a recorded, relayed or after-the-fact rendered video is likely.",
  REFLECTION_NOT_3D:
    "The screen's light did not fall on the face the way it falls on a real, three-dimensional face (each half of the screen lighting its own side of the face): a photo, a screen or an injected video is likely.",
  REFLECTION_UNIFORM:
    "The screen's light changed the background around the face about as much as the face itself, whereas a real face, much nearer the screen than the room behind it, reflects far more: a tinted image, such as a photo or screen held up to the camera or an injected video, is likely.",
  NO_FACE: "No frame showed a face, or too many frames had none.",
  MULTIPLE_FACES: "At least one frame showed more than one face.",
  FACE_CHANGED:
    "The face changed between frames, as if a different person or image was swapped in.",
  FACE_MISMATCH:
    "The live face is not the person on the reference image (the ID document or portrait): their faces' similarity was below the policy's threshold.",
  CLIENT_TAMPERED:
    "What the browser reported about the frames disagreed with the server's own re-check of them: the client side was altered.",
  INJECTION_SUSPECTED:
    "The video looked injected: frames came too fast or too regularly for a camera, from a custom source, or from a camera whose name is a virtual camera's.",
  LOW_QUALITY: "The frames were too dark, too bright or too blurry to judge.",
  EXPIRED: "The session expired before evidence arrived.",
  VERIFICATION_ERROR:
    "The server could not finish verifying the evidence; nothing was decided on it.",
};
