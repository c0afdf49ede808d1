import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCameraArgs, prepareFakeCamera } from "./harness/fake-camera.ts";
import { launchChromium, type LaunchedChromium } from "./harness/launch-chromium.ts";
import {
  recordForeignRequests,
  type ForeignRequestLog,
} from "./harness/record-foreign-requests.ts";
import { serveStatic, type StaticServer } from "./harness/serve-static.ts";

const TEST_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO = resolve(TEST_ROOT, "..");
const SHARED = resolve(REPO, "../shared");
const TASKS_VISION = join(TEST_ROOT, "node_modules/@mediapipe/tasks-vision");
const STILLS = join(SHARED, "media/stills");
const VIDEO = join(SHARED, "media/genuine/liveportrait-d3.mp4");
// Several faces: the landmarker reports one, and which one is not comparable.
const MULTI_FACE_STILLS = new Set(["human-group-1.jpg"]);
// Stills whose face the short-range detector (128x128 input, faces within ~2 m) cannot see in
// the full frame, with Google's bundle as much as ours. Asserted to stay that way for both, so
// a change is noticed, and run again on a crop around the face, where both must find it.
const DETECTOR_MISSES: Readonly<Record<string, { reason: string; crop: Crop }>> = {
  "human-cgi-model-1.jpg": {
    reason: "a face about 70 px wide in a 1280x720 frame, about 7 px at the detector's 128x128",
    crop: [480, 0, 400, 400],
  },
};
// MediaPipe Tasks 1.1.0 posts telemetry to odml.pa.googleapis.com with fetch(); connect-src
// 'self' stops it in the page, as Lumen's own pages do.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "worker-src 'self' blob:",
].join("; ");
const MAX_MEAN_DEVIATION = 0.02;
const FRAMES = 60;

type Crop = readonly [x: number, y: number, width: number, height: number];
interface Still {
  readonly url: string;
  readonly crop?: Crop;
}
interface FaceSummary {
  readonly faces: number;
  readonly count: number;
  readonly xy: readonly number[];
}
interface ComparedImage {
  readonly url?: string;
  readonly width: number;
  readonly height: number;
  readonly ours: FaceSummary;
  readonly reference: FaceSummary;
}
interface PageApi {
  compareStills(stills: Still[], delegate: "CPU" | "GPU"): Promise<ComparedImage[]>;
  compareCameraFrames(frames: number, delegate: "CPU" | "GPU"): Promise<ComparedImage[]>;
  webgl2Available(): boolean;
  closeAll(): void;
  violations: { blockedURI: string; directive: string }[];
}
declare const window: { lumen: PageApi };

/**
 * Distance of each of our landmarks (x,y) from the reference's, in pixels, as a fraction of the
 * face width (x extent of the reference landmarks in pixels). The reference's 478 points and
 * ours share an order, so point i is compared with point i.
 */
function deviation(image: ComparedImage): { mean: number; max: number } {
  const { width, height, ours, reference } = image;
  const xs = reference.xy.filter((_, i) => i % 2 === 0);
  const faceWidth = (Math.max(...xs) - Math.min(...xs)) * width;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < reference.xy.length; i += 2) {
    const dx = ((ours.xy[i] ?? NaN) - (reference.xy[i] ?? NaN)) * width;
    const dy = ((ours.xy[i + 1] ?? NaN) - (reference.xy[i + 1] ?? NaN)) * height;
    const d = Math.hypot(dx, dy) / faceWidth;
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / (reference.xy.length / 2), max };
}

function percent(value: number): string {
  return `${(100 * value).toFixed(2)}%`;
}

function stillNames(): string[] {
  return readdirSync(STILLS)
    .filter((name) => name.endsWith(".jpg"))
    .sort();
}

describe("face_landmarker.task built from @mediapipe/face_mesh, in headless Chromium", () => {
  let server: StaticServer;
  let browser: LaunchedChromium;
  let foreign: ForeignRequestLog;
  let page: Page;

  beforeAll(async () => {
    const wasm = join(TASKS_VISION, "wasm");
    server = await serveStatic({
      routes: {
        "/index.html": join(TEST_ROOT, "src/pages/face-landmarker.html"),
        "/face-landmarker.js": join(TEST_ROOT, "src/pages/face-landmarker.js"),
        "/tasks-vision/vision_bundle.mjs": join(TASKS_VISION, "vision_bundle.mjs"),
        ...Object.fromEntries(
          readdirSync(wasm).map((name) => [`/tasks-vision/wasm/${name}`, join(wasm, name)]),
        ),
        // Produced by `pnpm models` (buildFaceLandmarkerTask).
        "/models/face_landmarker.task": join(REPO, "models/dist/face_landmarker.task"),
        "/models/reference.task": join(SHARED, "models/reference/face_landmarker.task"),
        ...Object.fromEntries(stillNames().map((name) => [`/stills/${name}`, join(STILLS, name)])),
      },
      headers: { "Content-Security-Policy": CSP },
    });
    const camera = await prepareFakeCamera(VIDEO, { seconds: 6, fps: 15, width: 640 });
    browser = await launchChromium({ args: fakeCameraArgs(camera) });
    foreign = await recordForeignRequests(browser.context);
    page = await browser.context.newPage();
    page.on("pageerror", (error) => {
      console.error("page error:", error.message);
    });
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => "lumen" in window);
  });

  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  // Every one-face still (a missed face compared on its crop), both bundles on the same bitmap.
  async function compareStills(delegate: "CPU" | "GPU"): Promise<ComparedImage[]> {
    const stills: Still[] = stillNames()
      .filter((name) => !MULTI_FACE_STILLS.has(name))
      .flatMap((name) => {
        const miss = DETECTOR_MISSES[name];
        const url = `/stills/${name}`;
        return miss ? [{ url }, { url, crop: miss.crop }] : [{ url }];
      });
    const results = await page.evaluate(([list, mode]) => window.lumen.compareStills(list, mode), [
      stills,
      delegate,
    ] as const);
    expect(results).toHaveLength(stills.length);
    return results;
  }

  function checkStills(results: ComparedImage[], label: string): void {
    const deviations: { mean: number; max: number }[] = [];
    for (const image of results) {
      const url = image.url ?? "";
      const miss = DETECTOR_MISSES[url.replace("/stills/", "")];
      if (miss) {
        console.log(`${label} ${url}: no face found by ours nor by the reference (${miss.reason})`);
        expect(image.reference.count, `reference on ${url}`).toBe(0);
        expect(image.ours.count, `ours on ${url}`).toBe(0);
        continue;
      }
      expect(image.reference.count, `reference on ${url}`).toBe(478);
      expect(image.ours.count, `ours on ${url}`).toBe(478);
      const d = deviation(image);
      deviations.push(d);
      console.log(
        `${label} ${url} ${image.width}x${image.height}: mean ${percent(d.mean)}, worst point ${percent(d.max)} of face width`,
      );
      expect(d.mean, `mean deviation on ${url}`).toBeLessThan(MAX_MEAN_DEVIATION);
    }
    const mean = deviations.reduce((sum, d) => sum + d.mean, 0) / deviations.length;
    const max = Math.max(...deviations.map((d) => d.max));
    console.log(
      `${label} stills (${deviations.length}): mean ${percent(mean)}, worst point ${percent(max)} of face width`,
    );
  }

  it("finds 478 landmarks on every one-face still, within 2% of face width of Google's bundle (CPU)", async () => {
    checkStills(await compareStills("CPU"), "CPU");
  });

  it(`tracks ${FRAMES} consecutive fake-camera frames in VIDEO mode within 2% of Google's bundle (CPU)`, async () => {
    const frames = await page.evaluate(
      (count) => window.lumen.compareCameraFrames(count, "CPU"),
      FRAMES,
    );
    expect(frames).toHaveLength(FRAMES);
    for (const [i, frame] of frames.entries()) {
      expect(frame.ours.count, `ours on frame ${i}`).toBe(478);
      expect(frame.reference.count, `reference on frame ${i}`).toBe(478);
    }
    const deviations = frames.map(deviation);
    const mean = deviations.reduce((sum, d) => sum + d.mean, 0) / deviations.length;
    const worstFrame = Math.max(...deviations.map((d) => d.mean));
    const max = Math.max(...deviations.map((d) => d.max));
    console.log(
      `video (${frames[0]?.width ?? 0}x${frames[0]?.height ?? 0}, ${FRAMES} frames): mean ${percent(mean)}, worst frame mean ${percent(worstFrame)}, worst point ${percent(max)} of face width`,
    );
    expect(mean).toBeLessThan(MAX_MEAN_DEVIATION);
  });

  it("runs on the GPU delegate when this Chromium has WebGL2 (skipped otherwise)", async (context) => {
    const webgl2 = await page.evaluate(() => window.lumen.webgl2Available());
    if (!webgl2) {
      console.log("GPU delegate: no WebGL2 in this headless Chromium, not tried");
      context.skip();
    }
    checkStills(await compareStills("GPU"), "GPU");
  });

  it("lets no request leave for any host but 127.0.0.1 (MediaPipe telemetry blocked by CSP)", async () => {
    await page.evaluate(() => {
      window.lumen.closeAll();
    });
    // close() flushes the telemetry queue; give a blocked fetch time to show up.
    await page.waitForTimeout(1000);
    const violations = await page.evaluate(() => window.lumen.violations);
    console.log(`CSP blocked: ${JSON.stringify(violations)}`);
    expect(foreign.urls).toEqual([]);
  });
});
