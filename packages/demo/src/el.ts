/** What {@link el} appends: nodes and text; `null` is skipped, for optional parts. */
export type Child = Node | string | null;

/**
 * Creates an HTML element with its attributes and children, the pages' one way to build DOM
 * (text goes in as text, never as HTML).
 *
 * @example
 * ```ts
 * const note = el("p", { class: "status", role: "status" }, "Camera on.");
 * ```
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children.filter((child): child is Node | string => child !== null));
  return node;
}

/**
 * A `type="button"` button that runs `onClick`; `className` styles it (`primary`, `link`).
 *
 * @example
 * ```ts
 * const next = button("Continue", proceed, "primary");
 * ```
 */
export function button(text: string, onClick: () => void, className = ""): HTMLButtonElement {
  const node = el("button", { type: "button", class: className }, text);
  node.addEventListener("click", onClick);
  return node;
}
