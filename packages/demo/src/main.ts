import { startOnboarding } from "./onboarding-flow.ts";

const app = document.querySelector<HTMLElement>("#app");
const announcer = document.querySelector<HTMLElement>("#announcer");
if (app && announcer) startOnboarding(app, announcer);
