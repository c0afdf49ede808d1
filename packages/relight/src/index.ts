export {
  RELIGHT_DEFAULTS,
  relightFrame,
  resolveRelightOptions,
  type RelightMode,
  type RelightOptions,
  type ResolvedRelightOptions,
} from "./relight-frame.ts";
export { screenAt } from "./screen-at.ts";
export type { ScreenState } from "./screen-state.ts";
export { createSeededRandom } from "./seeded-random.ts";
