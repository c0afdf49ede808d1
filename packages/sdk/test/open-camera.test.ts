import { LumenError } from "@lumen/protocol";
import { describe, expect, it } from "vitest";
import { CAMERA_CHOICE_STORAGE_KEY } from "../src/capture/choose-camera.ts";
import { CAMERA_CONSTRAINTS, openCamera } from "../src/capture/open-camera.ts";

interface FakeCamera {
  readonly deviceId: string;
  readonly label: string;
}

/** A `MediaDevices` subset over fake cameras; the first one is the browser's default pick. */
function fakeDevices(cameras: readonly FakeCamera[]) {
  const requests: MediaStreamConstraints[] = [];
  const stopped: string[] = [];
  const devices = {
    requests,
    stopped,
    enumerateDevices: () =>
      Promise.resolve(
        cameras.map((c) => ({ kind: "videoinput", groupId: "", ...c })) as MediaDeviceInfo[],
      ),
    getUserMedia: (constraints: MediaStreamConstraints = {}) => {
      requests.push(constraints);
      const video = constraints.video as MediaTrackConstraints;
      const wanted = (video.deviceId as { exact?: string } | undefined)?.exact;
      const camera = wanted === undefined ? cameras[0] : cameras.find((c) => c.deviceId === wanted);
      if (!camera) return Promise.reject(new DOMException("gone", "OverconstrainedError"));
      const track = {
        label: camera.label,
        getSettings: () => ({ deviceId: camera.deviceId }),
        stop: () => stopped.push(camera.deviceId),
      };
      return Promise.resolve({
        getVideoTracks: () => [track],
        getTracks: () => [track],
      } as unknown as MediaStream);
    },
  };
  return devices;
}

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      items.set(key, value);
    },
  };
}

const labelOf = (stream: MediaStream): string | undefined => stream.getVideoTracks()[0]?.label;
const exactOf = (constraints: MediaStreamConstraints | undefined): string | undefined => {
  const video = constraints?.video as MediaTrackConstraints | undefined;
  return (video?.deviceId as { exact?: string } | undefined)?.exact;
};

describe("openCamera", () => {
  it("asks the browser for the front camera when nothing was chosen", async () => {
    const devices = fakeDevices([{ deviceId: "cam", label: "Integrated Camera" }]);
    const stream = await openCamera(devices);
    expect(labelOf(stream)).toBe("Integrated Camera");
    expect(devices.requests).toEqual([CAMERA_CONSTRAINTS]);
  });

  it("swaps an infrared face-unlock camera the browser opened for a real one", async () => {
    const devices = fakeDevices([
      { deviceId: "ir", label: "Integrated IR Camera" },
      { deviceId: "cam", label: "Integrated Camera" },
    ]);
    const stream = await openCamera(devices);
    expect(labelOf(stream)).toBe("Integrated Camera");
    expect(devices.stopped).toEqual(["ir"]);
    expect(exactOf(devices.requests[1])).toBe("cam");
  });

  it("keeps an infrared camera when it is the only one (the session reports what it gets)", async () => {
    const devices = fakeDevices([{ deviceId: "ir", label: "IR Camera" }]);
    expect(labelOf(await openCamera(devices))).toBe("IR Camera");
    expect(devices.stopped).toEqual([]);
  });

  it("opens an explicit pick exactly, with size and rate, and remembers it", async () => {
    const devices = fakeDevices([
      { deviceId: "cam", label: "Integrated Camera" },
      { deviceId: "usb", label: "Logitech BRIO" },
    ]);
    const storage = memoryStorage();
    const stream = await openCamera(devices, {
      deviceId: "usb",
      storage,
      storageKey: CAMERA_CHOICE_STORAGE_KEY,
    });
    expect(labelOf(stream)).toBe("Logitech BRIO");
    const video = devices.requests[0]?.video as MediaTrackConstraints;
    expect(video.facingMode).toBeUndefined();
    expect(video.width).toEqual({ min: 640, ideal: 1280 });
    expect(storage.items.get(CAMERA_CHOICE_STORAGE_KEY)).toBe("usb");
  });

  it("reopens the remembered pick, and falls back to the default once it is unplugged", async () => {
    const storage = memoryStorage({ [CAMERA_CHOICE_STORAGE_KEY]: "usb" });
    const options = { storage, storageKey: CAMERA_CHOICE_STORAGE_KEY };
    const plugged = fakeDevices([
      { deviceId: "cam", label: "Integrated Camera" },
      { deviceId: "usb", label: "Logitech BRIO" },
    ]);
    expect(labelOf(await openCamera(plugged, options))).toBe("Logitech BRIO");
    const unplugged = fakeDevices([{ deviceId: "cam", label: "Integrated Camera" }]);
    expect(labelOf(await openCamera(unplugged, options))).toBe("Integrated Camera");
    expect(unplugged.requests.map(exactOf)).toEqual(["usb", undefined]);
  });

  it("neither reads nor writes the choice when remembering is disabled", async () => {
    const storage = memoryStorage({ [CAMERA_CHOICE_STORAGE_KEY]: "usb" });
    const devices = fakeDevices([
      { deviceId: "cam", label: "Integrated Camera" },
      { deviceId: "usb", label: "Logitech BRIO" },
    ]);
    expect(labelOf(await openCamera(devices, { storage, storageKey: null }))).toBe(
      "Integrated Camera",
    );
    await openCamera(devices, { deviceId: "cam", storage, storageKey: null });
    expect(storage.items.get(CAMERA_CHOICE_STORAGE_KEY)).toBe("usb");
  });

  it("maps an explicit pick that is gone to CAMERA_NOT_FOUND", async () => {
    const devices = fakeDevices([{ deviceId: "cam", label: "Integrated Camera" }]);
    const failure = await openCamera(devices, { deviceId: "usb" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LumenError);
    expect((failure as LumenError).code).toBe("CAMERA_NOT_FOUND");
  });
});
