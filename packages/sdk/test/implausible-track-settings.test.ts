import { ResultTokenClaims } from "@lumen/protocol";
import { describe, expect, it } from "vitest";
import {
  implausibleTrackSettings,
  MAX_CAMERA_FRAME_RATE,
  MAX_CAMERA_LONG_SIDE,
  type TrackSettingsInput,
} from "../src/capture/implausible-track-settings.ts";

const LABEL = "FaceTime HD Camera (1C1C:B782)";

/** What Chromium reports for an ordinary 720p webcam opened by the SDK. */
const webcam: TrackSettingsInput = {
  width: 1280,
  height: 720,
  frameRate: 30,
  aspectRatio: 1280 / 720,
  resizeMode: "none",
  deviceId: "d41d8cd98f00b204e9800998ecf8427e",
  groupId: "e3b0c44298fc1c149afbf4c8996fb924",
};

const signals = (patch: Partial<Record<keyof TrackSettingsInput, unknown>>, label = LABEL) =>
  implausibleTrackSettings({ ...webcam, ...patch } as TrackSettingsInput, label);

describe("implausibleTrackSettings", () => {
  it("finds nothing in real camera modes, either orientation, either resize mode", () => {
    const modes = [
      [640, 480],
      [1280, 720],
      [1920, 1080],
      [3840, 2160],
      [4096, 2160],
      [4032, 3024],
      [1280, 1024],
      [352, 288],
      [160, 120],
      [1280, 800],
      [720, 1280],
      [480, 640],
      [854, 480],
      [1440, 1080],
      [2160, 1080],
    ] as const;
    for (const [width, height] of modes) {
      for (const resizeMode of ["none", "crop-and-scale"]) {
        expect(signals({ width, height, aspectRatio: width / height, resizeMode })).toEqual([]);
      }
    }
    expect(signals({ frameRate: 60 })).toEqual([]);
    expect(signals({ frameRate: MAX_CAMERA_FRAME_RATE })).toEqual([]);
    expect(signals({ frameRate: 29.97 })).toEqual([]);
  });

  it("finds nothing when the browser reports no settings for a custom, unlabelled source", () => {
    expect(implausibleTrackSettings({}, "")).toEqual([]);
  });

  it("flags frame rates no camera delivers", () => {
    expect(signals({ frameRate: 240 })).toEqual(["frame-rate-too-high"]);
    expect(signals({ frameRate: MAX_CAMERA_FRAME_RATE + 0.5 })).toEqual(["frame-rate-too-high"]);
    for (const frameRate of [Number.NaN, Number.POSITIVE_INFINITY, 0, -30]) {
      expect(signals({ frameRate })).toEqual(["frame-rate-invalid"]);
    }
  });

  it("flags sizes that are not positive integers, or half reported", () => {
    expect(signals({ width: 1280.5, aspectRatio: undefined })).toEqual(["size-invalid"]);
    expect(signals({ width: 0, aspectRatio: undefined })).toEqual(["size-invalid"]);
    expect(signals({ height: Number.NaN, aspectRatio: undefined })).toEqual(["size-invalid"]);
    expect(signals({ height: undefined, aspectRatio: undefined })).toEqual(["size-invalid"]);
    expect(signals({ width: "1280" })).toEqual(["size-invalid"]);
  });

  it("flags sizes out of every camera's range", () => {
    expect(signals({ width: 7680, height: 4320, aspectRatio: 16 / 9 })).toEqual([
      "size-out-of-range",
    ]);
    expect(
      signals({ width: MAX_CAMERA_LONG_SIDE + 64, height: 2160, aspectRatio: undefined }),
    ).toContain("size-out-of-range");
    expect(signals({ width: 128, height: 96, aspectRatio: 4 / 3 })).toEqual(["size-out-of-range"]);
  });

  it("flags odd sizes, with crop-and-scale too", () => {
    expect(signals({ width: 1279, height: 720, aspectRatio: 1279 / 720 })).toEqual(["odd-size"]);
    expect(
      signals({ width: 640, height: 481, aspectRatio: 640 / 481, resizeMode: "crop-and-scale" }),
    ).toEqual(["odd-size"]);
  });

  it("flags aspect ratios no sensor has, with crop-and-scale too", () => {
    expect(signals({ width: 1000, height: 720, aspectRatio: 1000 / 720 })).toEqual([
      "aspect-ratio-unusual",
    ]);
    expect(
      signals({ width: 3000, height: 640, aspectRatio: 3000 / 640, resizeMode: "crop-and-scale" }),
    ).toEqual(["aspect-ratio-unusual"]);
    expect(signals({ width: 1001, height: 333, aspectRatio: 1001 / 333 })).toEqual([
      "odd-size",
      "aspect-ratio-unusual",
    ]);
  });

  it("flags a reported aspect ratio that contradicts the size", () => {
    expect(signals({ aspectRatio: 4 / 3 })).toEqual(["aspect-ratio-mismatch"]);
    expect(signals({ aspectRatio: Number.NaN })).toEqual(["aspect-ratio-mismatch"]);
    expect(signals({ aspectRatio: 1.7775 })).toEqual([]);
  });

  it("flags a resize mode the spec does not define", () => {
    expect(signals({ resizeMode: "stretch" })).toEqual(["resize-mode-unknown"]);
    expect(signals({ resizeMode: undefined })).toEqual([]);
  });

  it("flags a labelled camera track without deviceId or groupId", () => {
    expect(signals({ deviceId: undefined })).toEqual(["device-id-missing"]);
    expect(signals({ groupId: "" })).toEqual(["device-id-missing"]);
    expect(signals({ deviceId: undefined, groupId: undefined }, "")).toEqual([]);
  });

  it("lists several signals once each, in protocol order, and fits the result token", () => {
    const found = signals({
      width: 7681,
      height: 1001,
      frameRate: 1000,
      resizeMode: "fake",
      deviceId: undefined,
    });
    expect(found).toEqual([
      "frame-rate-too-high",
      "size-out-of-range",
      "odd-size",
      "aspect-ratio-unusual",
      "aspect-ratio-mismatch",
      "resize-mode-unknown",
      "device-id-missing",
    ]);
    const signalsClaim = {
      virtualCameraLabel: false,
      customSource: false,
      frameIntervalStdMs: 3,
      implausibleTrackSettings: found,
    };
    expect(ResultTokenClaims.shape.signals.safeParse(signalsClaim).success).toBe(true);
  });
});
