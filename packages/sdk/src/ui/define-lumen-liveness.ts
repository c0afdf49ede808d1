import { LumenLivenessElement } from "./lumen-liveness-element.ts";

declare global {
  interface HTMLElementTagNameMap {
    "lumen-liveness": LumenLivenessElement;
  }
}

/**
 * Registers `<lumen-liveness>` (or the element under another tag name). Registering is a
 * side effect, so it is a call the integrator makes, not something importing the SDK does;
 * calling it twice is harmless.
 *
 * @example
 * ```ts
 * defineLumenLiveness();
 * document.querySelector("lumen-liveness")?.start();
 * ```
 */
export function defineLumenLiveness(tagName = "lumen-liveness"): void {
  if (customElements.get(tagName) === undefined) {
    // A subclass per extra tag name: one constructor cannot be defined twice.
    customElements.define(
      tagName,
      tagName === "lumen-liveness" ? LumenLivenessElement : class extends LumenLivenessElement {},
    );
  }
}
