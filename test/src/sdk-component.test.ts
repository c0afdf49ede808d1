import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MountInput, SdkComponentPage } from "./browser/sdk-component-page.ts";
import {
  launchChromium,
  openSdkPage,
  prepareSdkPage,
  recordForeignRequests,
  serveStatic,
  TEST_ROOT,
  type ForeignRequestLog,
  type LaunchedChromium,
  type StaticServer,
} from "./harness/index.ts";

// <lumen-liveness> in Chromium: the real SDK session on a page that denies the camera, and a
// scripted fake session (through the element's `createSession` seam) with a flash plan, to check
// the warning-before-flash order, keyboard use, axe-core, translations and teardown.

const ARTIFACTS = join(TEST_ROOT, "artifacts");
const AXE = join(TEST_ROOT, "node_modules/axe-core/axe.min.js");

declare const window: { lumenComponent: SdkComponentPage };

describe("the <lumen-liveness> web component in Chromium", () => {
  let dir: string;
  let pages: StaticServer;
  let deniedPages: StaticServer;
  let browser: LaunchedChromium;
  let foreign: ForeignRequestLog;
  let bundleSource: string;

  const open = async (server: StaticServer, input: MountInput): Promise<Page> => {
    const tab = await openSdkPage(browser.context, server.url, "lumenComponent", {
      viewport: { width: 480, height: 720 },
    });
    await tab.evaluate((i) => {
      window.lumenComponent.mount(i);
    }, input);
    return tab;
  };
  const liveText = (tab: Page) => tab.evaluate(() => window.lumenComponent.liveText());
  const focusedId = (tab: Page) => tab.evaluate(() => window.lumenComponent.focusedId());
  const log = (tab: Page) => tab.evaluate(() => window.lumenComponent.log());
  const axe = (tab: Page) => tab.evaluate(() => window.lumenComponent.axe());
  // Playwright's CSS engine pierces open shadow roots.
  const inComponent = (tab: Page, selector: string) => tab.locator(`lumen-liveness ${selector}`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-sdk-component-"));
    const sdk = await prepareSdkPage({
      page: "sdk-component",
      dir,
      cspDirectives: ["style-src 'self' 'unsafe-inline'"],
    });
    bundleSource = sdk.bundles.page;
    const routes = { ...sdk.routes, "/axe.min.js": AXE };
    const { csp } = sdk;
    pages = await serveStatic({ routes, headers: { "Content-Security-Policy": csp } });
    deniedPages = await serveStatic({
      routes,
      headers: { "Content-Security-Policy": csp, "Permissions-Policy": "camera=()" },
    });
    // A fake camera exists (Chromium's generated pattern, no video file): on the denying page
    // the refusal must come from the policy, not from a missing device.
    browser = await launchChromium({
      args: ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
    });
    foreign = await recordForeignRequests(browser.context);
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser.close();
    await pages.close();
    await deniedPages.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("bundles without a node: import", () => {
    expect(bundleSource).toContain("lumen-liveness");
    expect(bundleSource).not.toContain("node:");
  });

  it("passes axe-core with no violations in the idle state", async () => {
    const tab = await open(pages, { mode: "fake" });
    await inComponent(tab, "#start").waitFor();
    expect(await axe(tab)).toEqual([]);
    await tab.close();
  });

  it("shows and confirms the photosensitivity warning by keyboard before the first flash is painted", async () => {
    const tab = await open(pages, { mode: "fake", outcomes: ["retry", "pass"] });
    // Keyboard only: Tab to the start button, Enter, Tab to the confirm button, Enter.
    await tab.keyboard.press("Tab");
    expect(await focusedId(tab)).toBe("start");
    await tab.keyboard.press("Enter");
    await inComponent(tab, "#warning").waitFor({ state: "visible" });
    expect(await focusedId(tab)).toBe("warning");
    expect(await liveText(tab)).toContain("Photosensitivity warning");
    expect(await axe(tab)).toEqual([]);
    await tab.screenshot({ path: join(ARTIFACTS, "sdk-component-warning.png") });
    const before = await log(tab);
    expect(before.sessionsCreated).toEqual([]);
    expect(before.colourPaints).toEqual([]);

    await tab.keyboard.press("Tab");
    expect(await focusedId(tab)).toBe("confirm");
    await tab.keyboard.press("Enter");
    await inComponent(tab, "#retry").waitFor({ state: "visible" });
    const first = await log(tab);
    const warned = first.warningPaintedAt ?? Number.NaN;
    const confirmed = first.confirmedAt ?? Number.NaN;
    const firstFlash = first.colourPaints[0]?.at ?? Number.NaN;
    expect(warned).toBeLessThan(confirmed);
    expect(confirmed).toBeLessThanOrEqual(first.sessionsCreated[0] ?? Number.NaN);
    expect(confirmed).toBeLessThan(firstFlash);
    expect(first.colourPaints.map((p) => p.colour)).toEqual([
      "#ff0000",
      "#00ff00",
      "linear-gradient(to right, #0000ff 50%, #ffff00 50%)",
      null,
    ]);
    // The overlay painted each step over the whole window, the split as two hard halves.
    expect(first.colourPaints[0]?.painted).toContain("rgb(255, 0, 0)");
    expect(first.colourPaints[2]?.painted).toContain(
      "linear-gradient(to right, rgb(0, 0, 255) 50%, rgb(255, 255, 0) 50%)",
    );
    // Paint times come from requestAnimationFrame and increase.
    const times = first.colourPaints.map((p) => p.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Every prompt and hint went through the live region.
    expect(first.announcements).toEqual(
      expect.arrayContaining([
        "Checking your browser…",
        "Too dark. Move to a brighter place or turn on a light.",
        "Move closer to the camera.",
        "Good. Hold still.",
        "Keep still and look at the screen while it changes colour.",
        "Turn your head slowly to the left.",
        "Good. Hold that position.",
        "Sending the result…",
        "The check was not clear enough. Please try again.",
      ]),
    );
    expect(await inComponent(tab, "[role=progressbar]").getAttribute("aria-valuenow")).toBe("100");
    expect(first.sessionsClosed).toBe(1);

    // Retry flow: focus is on "Try again"; Enter runs a new session without a second warning.
    expect(await focusedId(tab)).toBe("retry");
    await tab.keyboard.press("Enter");
    await tab.waitForFunction(
      () => window.lumenComponent.liveText() === "Check complete. Thank you.",
    );
    const second = await log(tab);
    expect(second.sessionsCreated).toHaveLength(2);
    expect(second.sessionsClosed).toBe(2);
    expect(second.events).toEqual([
      'lumen-result {"status":"retry","retryAllowed":true}',
      'lumen-result {"status":"pass","retryAllowed":false}',
    ]);
    await tab.close();
  });

  it("emits lumen-no-flash and flashes nothing when the user declines flashing", async () => {
    const tab = await open(pages, { mode: "fake" });
    await inComponent(tab, "#start").click();
    await inComponent(tab, "#decline").click();
    await tab.waitForFunction(() => window.lumenComponent.log().events.length > 0);
    const result = await log(tab);
    expect(result.events).toEqual(["lumen-no-flash null"]);
    expect(result.sessionsCreated).toEqual([]);
    expect(await liveText(tab)).toBe("A check without flashing was requested.");
    await tab.close();
  });

  it("shows a readable CAMERA_DENIED message in the live region when the browser denies the camera", async () => {
    const tab = await open(deniedPages, { mode: "real" });
    await inComponent(tab, "#start").click();
    await inComponent(tab, "#confirm").click();
    await inComponent(tab, "#message.error").waitFor();
    expect(await liveText(tab)).toBe(
      "Camera access was blocked. Allow the camera in your browser settings, then try again.",
    );
    expect(await inComponent(tab, "#message").getAttribute("aria-live")).toBe("polite");
    const result = await log(tab);
    expect(result.events).toEqual([
      `lumen-error ${JSON.stringify({ code: "CAMERA_DENIED", message: await liveText(tab) })}`,
    ]);
    // The attempt ended: its session was closed (camera off, worker terminated).
    expect(result.sessionsCreated).toHaveLength(1);
    expect(await inComponent(tab, "#retry").isVisible()).toBe(true);
    expect(await axe(tab)).toEqual([]);
    await tab.screenshot({ path: join(ARTIFACTS, "sdk-component-error.png") });
    await tab.close();
  });

  it.each([
    ["CAMERA_NOT_FOUND", "No camera was found. Connect a camera, then try again."],
    ["WORKER_CRASHED", "The check stopped unexpectedly. Please try again."],
    [
      "MODEL_INTEGRITY_FAILED",
      "The check files could not be verified, so the check was stopped for your safety. Please try again later.",
    ],
    [
      "UNSUPPORTED_BROWSER",
      "This browser cannot run the check. Please use a recent version of Chrome, Edge, Firefox or Safari.",
    ],
  ])("shows %s as a readable message", async (code, text) => {
    const tab = await open(pages, { mode: "fake", outcomes: [code] });
    await inComponent(tab, "#start").click();
    await inComponent(tab, "#confirm").click();
    await inComponent(tab, "#message.error").waitFor();
    expect(await liveText(tab)).toBe(text);
    await tab.close();
  });

  it('renders right-to-left Arabic for lang="ar"', async () => {
    const tab = await open(pages, { mode: "fake", lang: "ar" });
    const root = inComponent(tab, "#root");
    expect(await root.getAttribute("dir")).toBe("rtl");
    expect(await tab.evaluate(() => window.lumenComponent.direction())).toBe("rtl");
    expect(await inComponent(tab, "#start").textContent()).toBe("ابدأ التحقق");
    expect(await axe(tab)).toEqual([]);
    await tab.close();
  });

  it("closes the running session when the element is removed", async () => {
    const tab = await open(pages, { mode: "fake", outcomes: ["hang"] });
    await inComponent(tab, "#start").click();
    await inComponent(tab, "#confirm").click();
    await tab.waitForFunction(() => window.lumenComponent.log().sessionsCreated.length === 1);
    expect((await log(tab)).sessionsClosed).toBe(0);
    await tab.evaluate(() => {
      window.lumenComponent.remove();
    });
    const result = await log(tab);
    expect(result.sessionsClosed).toBe(1);
    // A cancelled attempt emits nothing once the element is gone.
    expect(result.events).toEqual([]);
    await tab.close();
  });

  it("cancels by keyboard back to the start, closing the session", async () => {
    const tab = await open(pages, { mode: "fake", outcomes: ["hang"] });
    await inComponent(tab, "#start").click();
    await inComponent(tab, "#confirm").click();
    await inComponent(tab, "#cancel").focus();
    await tab.keyboard.press("Enter");
    await inComponent(tab, "#start").waitFor({ state: "visible" });
    const result = await log(tab);
    expect(result.events).toEqual(["lumen-cancel null"]);
    expect(result.sessionsClosed).toBe(1);
    expect(await focusedId(tab)).toBe("start");
    await tab.close();
  });

  it("sent no request off 127.0.0.1", () => {
    expect(foreign.urls).toEqual([]);
  });
});
