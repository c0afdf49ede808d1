export { launchChromium, CHROMIUM_FLAGS } from "./launch-chromium.ts";
export type { LaunchChromiumOptions, LaunchedChromium } from "./launch-chromium.ts";
export { serveStatic } from "./serve-static.ts";
export type { ServeStaticOptions, StaticServer } from "./serve-static.ts";
export { prepareFakeCamera, fakeCameraArgs } from "./fake-camera.ts";
export type { FakeCameraOptions } from "./fake-camera.ts";
export { recordForeignRequests } from "./record-foreign-requests.ts";
export type { ForeignRequestLog } from "./record-foreign-requests.ts";
