import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Options of {@link launchChromium}. */
export interface LaunchChromiumOptions {
  /** Extra command-line flags, e.g. from `fakeCameraArgs()`. */
  readonly args?: readonly string[];
  /** The browser binary; defaults to Debian's `/usr/bin/chromium` (no browser is downloaded). */
  readonly executablePath?: string;
}

/** A running Chromium with one browser context; `close()` also deletes its profile. */
export interface LaunchedChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * The flags every test browser runs with: headless, no sandbox (tests run as root in
 * containers), software rendering, and none of Chromium's own background traffic, so that the
 * only requests a test sees are the ones its page makes.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

/**
 * Starts Debian's headless Chromium with {@link CHROMIUM_FLAGS} and a fresh temporary profile.
 * The machine has two cores: run one browser at a time (the e2e project runs files serially)
 * and always `close()` it in `afterAll`.
 *
 * @example
 * ```ts
 * const browser = await launchChromium({ args: fakeCameraArgs(y4mPath) });
 * const page = await browser.context.newPage();
 * await page.goto(server.url + "/index.html");
 * await browser.close();
 * ```
 */
export async function launchChromium(
  options: LaunchChromiumOptions = {},
): Promise<LaunchedChromium> {
  const userDataDir = await mkdtemp(join(tmpdir(), "lumen-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: options.executablePath ?? "/usr/bin/chromium",
      headless: true,
      args: [...CHROMIUM_FLAGS, ...(options.args ?? [])],
    });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
