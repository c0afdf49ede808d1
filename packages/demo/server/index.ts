export { startDemoServer, MAX_RP_BODY_BYTES, type DemoServer } from "./start-demo-server.ts";
export type { DemoRequestLogEntry, DemoServerOptions, DemoSite } from "./demo-server-options.ts";
export { MAX_RECORDING_BODY_BYTES, saveRecording } from "./recordings.ts";
export type {
  RpRecordingRequest,
  RpRecordingSaved,
  RpResult,
  RpSession,
  RpSessionRequest,
} from "../src/rp-types.ts";
