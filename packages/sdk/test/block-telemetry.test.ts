import { describe, expect, it } from "vitest";
import {
  blockMediapipeTelemetry,
  MEDIAPIPE_TELEMETRY_HOST,
  type TelemetryRealm,
} from "../src/workers/block-telemetry.ts";

/** A fake worker realm whose `fetch` records what reached the network. */
function fakeRealm() {
  const reached: { input: RequestInfo | URL; init: RequestInit | undefined }[] = [];
  const realm: TelemetryRealm = {
    location: { href: "https://bank.example/lumen/tracking-worker.js" },
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      reached.push({ input, init });
      return Promise.resolve(new Response("ok"));
    },
  };
  return { realm, reached };
}

describe("blockMediapipeTelemetry", () => {
  it("refuses MediaPipe's telemetry host with a TypeError, as a blocked request would", async () => {
    const { realm, reached } = fakeRealm();
    blockMediapipeTelemetry(realm);
    const telemetry = [
      `https://${MEDIAPIPE_TELEMETRY_HOST}/v1/logs?key=x`,
      `https://ODML.PA.GOOGLEAPIS.COM/log`,
      `https://${MEDIAPIPE_TELEMETRY_HOST}./log`,
      new URL(`https://${MEDIAPIPE_TELEMETRY_HOST}:443/log`),
      new Request(`https://${MEDIAPIPE_TELEMETRY_HOST}/log`, { method: "POST", body: "{}" }),
    ];
    for (const input of telemetry) {
      await expect(realm.fetch(input)).rejects.toThrow(TypeError);
    }
    expect(reached).toEqual([]);
  });

  it("passes every other request through unchanged, relative ones included", async () => {
    const { realm, reached } = fakeRealm();
    blockMediapipeTelemetry(realm);
    const init = { method: "GET" };
    const others = [
      "/lumen/models/face_landmarker.task",
      "https://bank.example/lumen/wasm/vision_wasm_module_internal.wasm",
      "https://pa.googleapis.com/other",
      `https://${MEDIAPIPE_TELEMETRY_HOST}.evil.example/`,
      "https://cdn.example/?u=odml.pa.googleapis.com",
    ];
    for (const input of others) {
      const response = await realm.fetch(input, init);
      expect(await response.text()).toBe("ok");
    }
    expect(reached.map((call) => call.input)).toEqual(others);
    expect(reached.every((call) => call.init === init)).toBe(true);
  });

  it("is idempotent: a second call does not wrap fetch again", () => {
    const { realm } = fakeRealm();
    blockMediapipeTelemetry(realm);
    const patched = realm.fetch;
    blockMediapipeTelemetry(realm);
    expect(realm.fetch).toBe(patched);
    expect(realm.lumenTelemetryBlocked).toBe(true);
  });
});
