import { describe, expect, it } from "vitest";
import {
  FACE_TO_OVAL_WIDTH,
  guidanceHint,
  type GuidanceInput,
} from "../src/tracking/guidance-hint.ts";

const oval = { centerX: 0.5, centerY: 0.5, width: 0.5, height: 0.7 };
const W = 1280;
const H = 720;

/** A frame with one face of `widthFraction` of the oval's width, centred at (cx, cy) (0..1). */
function frame(widthFraction: number, cx = 0.5, cy = 0.5): GuidanceInput {
  const width = widthFraction * oval.width * W;
  const height = width * 1.3;
  return {
    width: W,
    height: H,
    faces: 1,
    face: { box: { x: cx * W - width / 2, y: cy * H - height / 2, width, height } },
  };
}

describe("guidanceHint", () => {
  it("says hold-still for one centred face of a good size", () => {
    expect(guidanceHint(frame(1), oval)).toBe("hold-still");
  });

  it("reports no face and several faces first", () => {
    expect(guidanceHint({ width: W, height: H, faces: 0, face: null }, oval)).toBe("no-face");
    expect(guidanceHint({ ...frame(1), faces: 2 }, oval)).toBe("several-faces");
  });

  it("says too-far / too-close outside the face-to-oval width band", () => {
    expect(guidanceHint(frame(FACE_TO_OVAL_WIDTH.min * 0.9), oval)).toBe("too-far");
    expect(guidanceHint(frame(FACE_TO_OVAL_WIDTH.max * 1.1), oval)).toBe("too-close");
    expect(guidanceHint(frame(FACE_TO_OVAL_WIDTH.min * 1.05), oval)).toBe("hold-still");
  });

  it("says off-oval when the face centre strays from the oval's", () => {
    expect(guidanceHint(frame(1, 0.5 + oval.width / 2), oval)).toBe("off-oval");
    expect(guidanceHint(frame(1, 0.5, 0.5 - oval.height / 2), oval)).toBe("off-oval");
    expect(guidanceHint(frame(1, 0.55, 0.52), oval)).toBe("hold-still");
  });
});
