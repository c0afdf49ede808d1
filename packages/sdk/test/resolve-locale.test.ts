import { describe, expect, it } from "vitest";
import type { LivenessStrings } from "../src/ui/liveness-strings.ts";
import { ar } from "../src/ui/locales/ar.ts";
import { en } from "../src/ui/locales/en.ts";
import { es } from "../src/ui/locales/es.ts";
import { fr } from "../src/ui/locales/fr.ts";
import { pt } from "../src/ui/locales/pt.ts";
import { resolveLocale } from "../src/ui/resolve-locale.ts";

/** Every leaf path of a strings table, e.g. `errors.CAMERA_DENIED`. */
function leaves(value: object, prefix = ""): string[] {
  return Object.entries(value).flatMap(([key, child]: [string, unknown]) =>
    typeof child === "object" && child !== null
      ? leaves(child, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe("resolveLocale", () => {
  it.each([
    ["es", es],
    ["fr", fr],
    ["pt", pt],
    ["ar", ar],
  ] as const)("bundles a complete, translated %s locale", (lang, strings: LivenessStrings) => {
    expect(leaves(strings).sort()).toEqual(leaves(en).sort());
    for (const path of leaves(strings)) {
      const text = path
        .split(".")
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], strings);
      expect(typeof text === "string" && text.trim().length > 0, path).toBe(true);
    }
    expect(strings.start).not.toBe(en.start);
    expect(resolveLocale(lang).strings).toEqual(strings);
  });

  it("matches by primary subtag, any case, and falls back to English", () => {
    expect(resolveLocale("pt-BR").locale).toBe("pt");
    expect(resolveLocale("FR_ca").locale).toBe("fr");
    expect(resolveLocale("de").strings).toEqual(en);
    expect(resolveLocale(null).locale).toBe("en");
    expect(resolveLocale("").lang).toBe("en");
    expect(resolveLocale("constructor").locale).toBe("en");
  });

  it("sets right-to-left for Arabic (and other RTL languages), left-to-right otherwise", () => {
    expect(resolveLocale("ar").dir).toBe("rtl");
    expect(resolveLocale("ar-EG").dir).toBe("rtl");
    expect(resolveLocale("he").dir).toBe("rtl");
    expect(resolveLocale("en").dir).toBe("ltr");
  });

  it("lays overrides over any text, table entries one by one", () => {
    const { strings } = resolveLocale("es", {
      start: "Empezar",
      errors: { CAMERA_DENIED: "Permita la cámara." },
      hints: { "too-far": "Más cerca." },
    });
    expect(strings.start).toBe("Empezar");
    expect(strings.errors.CAMERA_DENIED).toBe("Permita la cámara.");
    expect(strings.errors.CAMERA_NOT_FOUND).toBe(es.errors.CAMERA_NOT_FOUND);
    expect(strings.hints["too-far"]).toBe("Más cerca.");
    expect(strings.hints["too-close"]).toBe(es.hints["too-close"]);
    expect(strings.cancel).toBe(es.cancel);
  });
});
