/**
 * The shadow DOM's stylesheet. Colours are custom properties so integrators can theme the
 * component from outside (`lumen-liveness { --lumen-accent: #006400 }`); the defaults pass
 * WCAG AA contrast. Logical properties keep the layout right in right-to-left languages.
 */
export const LUMEN_LIVENESS_STYLES = `
:host {
  --lumen-accent: #0b57d0;
  --lumen-on-accent: #ffffff;
  --lumen-text: #1f1f1f;
  --lumen-surface: #ffffff;
  --lumen-error: #b3261e;
  --lumen-warning-surface: #fff4d6;
  --lumen-warning-border: #8a5a00;
  --lumen-focus: #1f1f1f;
  display: block;
  max-inline-size: 32rem;
  color: var(--lumen-text);
  background: var(--lumen-surface);
  font: 1rem/1.5 system-ui, sans-serif;
}
[hidden] { display: none !important; }
.root { padding: 1rem; }
h2 { font-size: 1.25rem; margin: 0 0 0.75rem; }
h3 { font-size: 1.1rem; margin: 0 0 0.5rem; }
.stage { position: relative; margin: 0 auto 0.75rem; inline-size: min(45%, 14rem); aspect-ratio: 3 / 4; }
.visually-hidden { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
.stage video { position: absolute; inset: 0; inline-size: 100%; block-size: 100%;
  object-fit: cover; transform: scaleX(-1); border-radius: 50%; }
.oval { position: absolute; inset: 0; inline-size: 100%; block-size: 100%; }
.oval ellipse { fill: none; stroke: var(--lumen-accent); stroke-width: 2; stroke-dasharray: 4 3; }
.message { min-block-size: 3em; margin: 0 0 0.75rem; }
.message.error { color: var(--lumen-error); font-weight: 600; }
.progress { block-size: 0.5rem; border-radius: 0.25rem; background: #d9d9d9; overflow: hidden;
  margin-block-end: 0.75rem; }
.progress .bar { block-size: 100%; background: var(--lumen-accent); inline-size: 0;
  transition: inline-size 0.2s; }
.warning { border: 2px solid var(--lumen-warning-border); background: var(--lumen-warning-surface);
  border-radius: 0.5rem; padding: 1rem; margin-block-end: 0.75rem; }
.warning p { margin: 0 0 0.75rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
button { font: inherit; min-block-size: 2.75rem; padding: 0.5rem 1rem; border-radius: 0.5rem;
  border: 2px solid var(--lumen-accent); background: var(--lumen-surface); color: var(--lumen-accent);
  cursor: pointer; }
button.primary { background: var(--lumen-accent); color: var(--lumen-on-accent); }
:focus-visible { outline: 3px solid var(--lumen-focus); outline-offset: 3px; }
.flash { position: fixed; inset: 0; z-index: 2147483647; }
@media (prefers-reduced-motion: reduce) { .progress .bar { transition: none; } }
`;
