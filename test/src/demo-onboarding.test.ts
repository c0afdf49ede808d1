import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResult } from "@lumen/protocol";
import type { DemoServer } from "../../packages/demo/server/index.ts";
import {
  fakeCameraArgs,
  launchChromium,
  prepareFakeCamera,
  recordForeignRequests,
  REPO_ROOT,
  startBuiltDemo,
  videoStill,
  type ApiServer,
  type BuiltDemo,
  type ForeignRequestLog,
  type LaunchedChromium,
} from "./harness/index.ts";

// The demo's onboarding as a person goes through it, in the production build served by the
// demo's relying-party server, against the real verification server: consent, the ID-document
// step with a photo without a face, the camera check on Chromium's fake camera, the start of
// the check, where the server refuses the photo and the page goes back to the document step
// with the server's reason; then a still of d3, which the page attaches to the next session.
// The check itself stops there: the SDK refuses Chromium's fake camera as a virtual camera (its
// default). The comparison of a live capture with a reference runs in sdk-cooperative.test.ts,
// the result page's match block in the demo's own tests.

const VIDEO = join(REPO_ROOT, "../shared/media/genuine/liveportrait-d3.mp4");
const CHECK_TIMEOUT_MS = 240_000;

describe("the demo's onboarding with an ID document, in Chromium", () => {
  let dir: string;
  let built: BuiltDemo;
  let api: ApiServer;
  let demo: DemoServer;
  let browser: LaunchedChromium;
  let foreign: ForeignRequestLog;
  let page: Page;
  let refusal: string;
  let refused: SessionResult;
  let attached: SessionResult;
  let stoppedWith: string;
  let statuses: number[];

  /**
   * Runs the camera check and starts the liveness check: the session the page created, and the
   * status the demo backend answered its reference image with.
   */
  const check = async (): Promise<[string, number]> => {
    await page.getByRole("button", { name: "Turn on the camera" }).click();
    await page.getByRole("button", { name: "My face is visible, continue" }).click();
    await page.locator("lumen-liveness #start").click();
    const created = page.waitForResponse(
      (res) => res.request().method() === "POST" && new URL(res.url()).pathname === "/rp/sessions",
    );
    const attach = page.waitForResponse(
      (res) =>
        res.request().method() === "PUT" &&
        new URL(res.url()).pathname.endsWith("/reference-image"),
    );
    // The photosensitivity warning comes before any flash; the session is created after it.
    await page.locator("lumen-liveness #confirm").click();
    const { sessionId } = (await (await created).json()) as { sessionId: string };
    return [sessionId, (await attach).status()];
  };

  const chooseDocument = async (path: string): Promise<void> => {
    await page.locator("section[data-step=document]").waitFor();
    await page.setInputFiles("#reference-file", path);
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.locator("section[data-step=camera]").waitFor();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-demo-onboarding-"));
    const faceless = join(dir, "background.png");
    await writeFile(faceless, await videoStill(VIDEO, 1, "png", "crop=128:128:0:0"));
    const still = join(dir, "id-document.jpg");
    await writeFile(still, await videoStill(VIDEO, 1, "jpeg"));
    built = await startBuiltDemo();
    ({ api, demo } = built);
    browser = await launchChromium({ args: fakeCameraArgs(await prepareFakeCamera(VIDEO)) });
    foreign = await recordForeignRequests(browser.context);
    page = await browser.context.newPage();
    page.on("pageerror", (error) => {
      console.error("page error:", error.message);
    });

    await page.goto(`${demo.url}/`);
    await page.getByRole("button", { name: "Get started" }).click();
    await page.locator("#consent-agree").check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await chooseDocument(faceless);
    const [first, firstStatus] = await check();
    // The server refuses the photo when the check creates its session: back to the document.
    const problem = page.locator("section[data-step=document] .problem");
    await problem.filter({ hasText: /\S/ }).waitFor({ timeout: CHECK_TIMEOUT_MS });
    refusal = (await problem.textContent()) ?? "";
    await chooseDocument(still);
    const [second, secondStatus] = await check();
    statuses = [firstStatus, secondStatus];
    // The component's error state: its retry button shows.
    await page.locator("lumen-liveness #retry").waitFor({ timeout: CHECK_TIMEOUT_MS });
    stoppedWith = (await page.locator("lumen-liveness #message").textContent()) ?? "";
    refused = await api.getSession(first);
    attached = await api.getSession(second);
  }, 600_000);

  afterAll(async () => {
    await browser.close();
    await built.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("shows the server's refusal of a photo without a face, and lets the person choose again", () => {
    expect(refusal).toContain("No face was found in the reference image");
    // The refused photo left its session untouched; the page went on with a new one.
    expect(refused).toMatchObject({ status: "created", referenceImage: null, match: null });
    expect(attached.sessionId).not.toBe(refused.sessionId);
  });

  it("attaches the chosen document to the next session before the check starts on it", () => {
    expect(statuses).toEqual([422, 200]);
    expect(attached.referenceImage?.kind).toBe("document");
    expect(attached.status).toBe("created");
    // Chromium's fake camera is where the check stops, on the SDK's side.
    expect(stoppedWith).toContain("virtual camera");
  });

  it("sent no request off 127.0.0.1", () => {
    expect(foreign.urls).toEqual([]);
  });
});
