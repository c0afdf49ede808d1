import type { LivenessStringOverrides, LivenessStrings } from "./liveness-strings.ts";
import { ar } from "./locales/ar.ts";
import { en } from "./locales/en.ts";
import { es } from "./locales/es.ts";
import { fr } from "./locales/fr.ts";
import { pt } from "./locales/pt.ts";

const BUNDLED: Readonly<Record<string, LivenessStrings>> = { en, es, fr, pt, ar };
// Scripts written right to left, by primary language subtag.
const RTL = new Set(["ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"]);

/** The texts and writing direction `<lumen-liveness>` renders with. */
export interface ResolvedLocale {
  /** The bundled locale used as the base (`en` when the language has none). */
  readonly locale: "en" | "es" | "fr" | "pt" | "ar";
  /** The requested language tag, lower-cased (`pt-br`), or `en`. */
  readonly lang: string;
  readonly dir: "ltr" | "rtl";
  readonly strings: LivenessStrings;
}

/**
 * Picks the bundled texts for a BCP 47 language tag (by its primary subtag, `pt-BR` → `pt`,
 * anything unknown → `en`) and lays the integrator's overrides over them, table by table.
 * The direction follows the requested language, so an integrator who supplies Hebrew strings
 * for `lang="he"` gets right-to-left layout too.
 *
 * @example
 * ```ts
 * const { dir, strings } = resolveLocale("ar", { start: "ابدأ" });
 * dir; // "rtl"
 * ```
 */
export function resolveLocale(
  lang: string | null | undefined,
  overrides: LivenessStringOverrides = {},
): ResolvedLocale {
  const tag = (lang ?? "").trim().toLowerCase() || "en";
  const primary = tag.split(/[-_]/)[0] ?? "en";
  const locale = (Object.hasOwn(BUNDLED, primary) ? primary : "en") as ResolvedLocale["locale"];
  const base = BUNDLED[locale] ?? en;
  const strings: LivenessStrings = {
    ...base,
    ...overrides,
    states: { ...base.states, ...overrides.states },
    hints: { ...base.hints, ...overrides.hints },
    quality: { ...base.quality, ...overrides.quality },
    results: { ...base.results, ...overrides.results },
    errors: { ...base.errors, ...overrides.errors },
  };
  return { locale, lang: tag, dir: RTL.has(primary) ? "rtl" : "ltr", strings };
}
