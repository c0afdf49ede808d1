// Worker threads do not inherit vitest's or tsx's TypeScript loader, so this plain-JS entry
// registers tsx's ESM loader in the worker, then loads the TypeScript worker. It works the same
// under vitest, under `tsx main.ts` and under plain `node` with tsx installed.
import { register } from "tsx/esm/api";

register();
await import("./frame-worker.ts");
