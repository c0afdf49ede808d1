import { describe, expect, it } from "vitest";
import {
  chooseCamera,
  describeCamera,
  isInfraredCameraLabel,
  listCameras,
  readCameraChoice,
  writeCameraChoice,
  type CameraChoiceStorage,
} from "../src/capture/choose-camera.ts";

const ir = describeCamera("ir", "Integrated IR Camera (04f2:b67c)");
const hello = describeCamera("hello", "Windows Hello Face Software Device");
const integrated = describeCamera("integrated", "Integrated Camera (04f2:b67c)");
const usb = describeCamera("usb", "Logitech BRIO (046d:085e)");
const front = describeCamera("front", "camera2 1, facing front");
const back = describeCamera("back", "camera2 0, facing back");
const obs = describeCamera("obs", "OBS Virtual Camera");

function memoryStorage(): CameraChoiceStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
  };
}

describe("isInfraredCameraLabel", () => {
  it.each([
    ["Integrated IR Camera", true],
    ["IR Camera", true],
    ["Integrated Infrared Camera", true],
    ["Windows Hello Face Software Device", true],
    ["Integrated Camera", false],
    ["FaceTime HD Camera", false],
    ["Logitech BRIO", false],
    ["Microsoft® LifeCam HD-3000", false],
  ])("%s → %s", (label, infrared) => {
    expect(isInfraredCameraLabel(label)).toBe(infrared);
  });
});

describe("chooseCamera", () => {
  it("never picks an infrared face-unlock camera by default, whatever the order", () => {
    expect(chooseCamera([ir, hello, integrated])?.deviceId).toBe("integrated");
    expect(chooseCamera([hello, usb, ir])?.deviceId).toBe("usb");
  });

  it("prefers a front camera over one listed earlier", () => {
    expect(chooseCamera([back, front])?.deviceId).toBe("front");
    expect(chooseCamera([usb, integrated])?.deviceId).toBe("integrated");
  });

  it("takes a virtual camera only when nothing else is left, and infrared never", () => {
    expect(chooseCamera([obs, usb])?.deviceId).toBe("usb");
    expect(chooseCamera([ir, obs])?.deviceId).toBe("obs");
    expect(chooseCamera([ir, hello])).toBeNull();
  });

  it("uses an explicit pick whenever it is listed, even an infrared one", () => {
    expect(chooseCamera([integrated, usb], { deviceId: "usb" })?.deviceId).toBe("usb");
    expect(chooseCamera([integrated, ir], { deviceId: "ir" })?.deviceId).toBe("ir");
    expect(chooseCamera([integrated, usb], { deviceId: "gone" })?.deviceId).toBe("integrated");
  });

  it("uses the remembered pick when listed and not infrared", () => {
    expect(chooseCamera([integrated, usb], { remembered: "usb" })?.deviceId).toBe("usb");
    expect(chooseCamera([ir, integrated], { remembered: "ir" })?.deviceId).toBe("integrated");
    expect(
      chooseCamera([integrated, usb], { deviceId: "integrated", remembered: "usb" })?.deviceId,
    ).toBe("integrated");
  });

  it("skips excluded devices (the infrared one just opened)", () => {
    expect(chooseCamera([ir, usb], { exclude: ["usb"] })).toBeNull();
    expect(chooseCamera([integrated, usb], { exclude: ["integrated"] })?.deviceId).toBe("usb");
  });

  it("lets the browser choose while labels are hidden (no permission yet) or none exists", () => {
    expect(chooseCamera([describeCamera("", ""), describeCamera("", "")])).toBeNull();
    expect(chooseCamera([])).toBeNull();
  });
});

describe("listCameras", () => {
  it("lists only video inputs, described", async () => {
    const devices = [
      { kind: "audioinput", deviceId: "mic", label: "Microphone", groupId: "" },
      { kind: "videoinput", deviceId: "ir", label: "Integrated IR Camera", groupId: "" },
      { kind: "videoinput", deviceId: "cam", label: "FaceTime HD Camera", groupId: "" },
    ] as MediaDeviceInfo[];
    const cameras = await listCameras({ enumerateDevices: () => Promise.resolve(devices) });
    expect(cameras).toEqual([
      {
        deviceId: "ir",
        label: "Integrated IR Camera",
        infrared: true,
        virtual: false,
        front: true,
      },
      {
        deviceId: "cam",
        label: "FaceTime HD Camera",
        infrared: false,
        virtual: false,
        front: true,
      },
    ]);
  });

  it("returns nothing where the browser cannot enumerate", async () => {
    expect(await listCameras({})).toEqual([]);
    expect(await listCameras(undefined)).toEqual([]);
  });
});

describe("camera choice memory", () => {
  it("writes and reads back under its key, and does nothing when disabled", () => {
    const storage = memoryStorage();
    writeCameraChoice(storage, "lumen.cameraDeviceId", "usb");
    expect(readCameraChoice(storage, "lumen.cameraDeviceId")).toBe("usb");
    expect(readCameraChoice(storage, "other")).toBeNull();
    writeCameraChoice(storage, null, "integrated");
    expect([...storage.items.values()]).toEqual(["usb"]);
    expect(readCameraChoice(storage, null)).toBeNull();
    expect(readCameraChoice(null, "lumen.cameraDeviceId")).toBeNull();
  });

  it("survives a storage that throws (blocked in private mode or sandboxed frames)", () => {
    const blocked: CameraChoiceStorage = {
      getItem: () => {
        throw new DOMException("blocked", "SecurityError");
      },
      setItem: () => {
        throw new DOMException("full", "QuotaExceededError");
      },
    };
    expect(readCameraChoice(blocked, "k")).toBeNull();
    expect(() => {
      writeCameraChoice(blocked, "k", "usb");
    }).not.toThrow();
  });
});
