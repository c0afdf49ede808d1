import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MountInput, SdkComponentPage } from "./browser/sdk-component-page.ts";
import {
  launchChromium,
  openSdkPage,
  prepareSdkPage,
  serveStatic,
  TEST_ROOT,
  type LaunchedChromium,
  type StaticServer,
} from "./harness/index.ts";

// <lumen-liveness> with the SDK's real session in a Chromium that has NO camera: launched
// without `--use-fake-device-for-media-stream` (only the fake permission UI, so there is no
// prompt), so `getUserMedia` genuinely finds no device. The virtual-camera case stubs the page's
// `getUserMedia` / `enumerateDevices` (a test seam in browser/sdk/sdk-component.ts) with a
// canvas stream labelled "OBS Virtual Camera".

const AXE = join(TEST_ROOT, "node_modules/axe-core/axe.min.js");
const VIRTUAL_CAMERA_TEXT =
  "A virtual camera or camera software seems to be in use. Please use your device's built-in camera.";

declare const window: { lumenComponent: SdkComponentPage };
declare const navigator: {
  mediaDevices: { enumerateDevices(): Promise<readonly { readonly kind: string }[]> };
};

describe("camera errors of <lumen-liveness> in a Chromium without a camera", () => {
  let dir: string;
  let pages: StaticServer;
  let browser: LaunchedChromium;

  const open = async (input: MountInput): Promise<Page> => {
    const tab = await openSdkPage(browser.context, pages.url, "lumenComponent");
    await tab.evaluate((i) => {
      window.lumenComponent.mount(i);
    }, input);
    return tab;
  };
  const inComponent = (tab: Page, selector: string) => tab.locator(`lumen-liveness ${selector}`);
  const runUntilError = async (tab: Page): Promise<string> => {
    await inComponent(tab, "#start").click();
    await inComponent(tab, "#confirm").click();
    await inComponent(tab, "#message.error").waitFor();
    return tab.evaluate(() => window.lumenComponent.liveText());
  };
  const events = (tab: Page) => tab.evaluate(() => window.lumenComponent.log().events);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-sdk-camera-"));
    const sdk = await prepareSdkPage({
      page: "sdk-component",
      dir,
      cspDirectives: ["style-src 'self' 'unsafe-inline'"],
    });
    pages = await serveStatic({
      routes: { ...sdk.routes, "/axe.min.js": AXE },
      headers: { "Content-Security-Policy": sdk.csp },
    });
    // No fake device: this machine has no /dev/video*, so Chromium has no camera at all.
    browser = await launchChromium({ args: ["--use-fake-ui-for-media-stream"] });
  });

  afterAll(async () => {
    await browser.close();
    await pages.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("has no video input at all", async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${pages.url}/index.html`);
    const kinds = await tab.evaluate(async () =>
      (await navigator.mediaDevices.enumerateDevices()).map((device) => device.kind),
    );
    expect(kinds).not.toContain("videoinput");
    await tab.close();
  });

  it("shows CAMERA_NOT_FOUND in the live region when getUserMedia finds no camera", async () => {
    const tab = await open({ mode: "real" });
    expect(await runUntilError(tab)).toBe("No camera was found. Connect a camera, then try again.");
    expect(await inComponent(tab, "#message").getAttribute("aria-live")).toBe("polite");
    expect(await events(tab)).toEqual([
      `lumen-error ${JSON.stringify({
        code: "CAMERA_NOT_FOUND",
        message: "No camera was found. Connect a camera, then try again.",
      })}`,
    ]);
    expect(await inComponent(tab, "#retry").isVisible()).toBe(true);
    await tab.close();
  });

  it("refuses a virtual-camera label with VIRTUAL_CAMERA (the session's virtualCamera option)", async () => {
    const tab = await open({ mode: "real", camera: "virtual" });
    expect(await runUntilError(tab)).toBe(VIRTUAL_CAMERA_TEXT);
    expect(await events(tab)).toEqual([
      `lumen-error ${JSON.stringify({ code: "VIRTUAL_CAMERA", message: VIRTUAL_CAMERA_TEXT })}`,
    ]);
    await tab.close();
  });

  it("refuses it too when the integrator's factory ignores the component's options", async () => {
    const tab = await open({ mode: "real", camera: "virtual", ignoreSessionOptions: true });
    expect(await runUntilError(tab)).toBe(VIRTUAL_CAMERA_TEXT);
    expect(await events(tab)).toEqual([
      `lumen-error ${JSON.stringify({ code: "VIRTUAL_CAMERA", message: VIRTUAL_CAMERA_TEXT })}`,
    ]);
    expect(await inComponent(tab, "#retry").isVisible()).toBe(true);
    await tab.close();
  });

  it('shows VIRTUAL_CAMERA in Spanish for lang="es"', async () => {
    const tab = await open({ mode: "real", camera: "virtual", lang: "es" });
    const text = await runUntilError(tab);
    expect(text).toContain("cámara virtual");
    await tab.close();
  });

  it('goes on past the camera with virtual-camera="report"', async () => {
    const tab = await open({ mode: "real", camera: "virtual", virtualCameraAttribute: "report" });
    await runUntilError(tab);
    // The camera is accepted; the attempt then fails on this page's missing worker script.
    const [event] = await events(tab);
    expect(event).toContain('"code":"WORKER_CRASHED"');
    await tab.close();
  });
});
