import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { JPEG_EXTENSIONS, PNG_EXTENSIONS, VIDEO_EXTENSIONS } from "./eval-limits.ts";

/** The two ISO/IEC 30107-3 presentation classes, as folder names. */
export const PRESENTATION_CLASSES = ["bona-fide", "attack"] as const;
export type PresentationClass = (typeof PRESENTATION_CLASSES)[number];

/** How an item is decoded. */
export type MediaKind = "jpeg" | "png" | "video";

/** One file of the data set, found in `DIR/<class>/<species>/<file>`. */
export interface DatasetItem {
  /** Relative to the data folder, `/`-separated. */
  readonly path: string;
  readonly absolutePath: string;
  readonly class: PresentationClass;
  readonly species: string;
  readonly media: MediaKind;
  /** ffmpeg demuxer for videos. */
  readonly container: "mov" | "matroska" | null;
  readonly bytes: number;
}

/** A file left out of the evaluation, and why. */
export interface SkippedItem {
  readonly path: string;
  readonly error: string;
}

/** Result of {@link collectItems}. */
export interface CollectedItems {
  readonly items: DatasetItem[];
  readonly skipped: SkippedItem[];
}

function mediaOf(name: string): Pick<DatasetItem, "media" | "container"> | null {
  const ext = extname(name).toLowerCase();
  if ((JPEG_EXTENSIONS as readonly string[]).includes(ext))
    return { media: "jpeg", container: null };
  if ((PNG_EXTENSIONS as readonly string[]).includes(ext)) return { media: "png", container: null };
  if ((VIDEO_EXTENSIONS as readonly string[]).includes(ext)) {
    return { media: "video", container: ext === ".webm" ? "matroska" : "mov" };
  }
  return null;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lists the data set in a stable (sorted) order. Names starting with a dot are ignored;
 * anything else that is not a supported file inside a species folder is reported in
 * `skipped`, never thrown. Symbolic links are followed.
 *
 * @example
 * ```ts
 * const { items, skipped } = await collectItems("/data/pad-set");
 * ```
 */
export async function collectItems(dataDir: string): Promise<CollectedItems> {
  const items: DatasetItem[] = [];
  const skipped: SkippedItem[] = [];
  const visible = async (dir: string): Promise<string[]> =>
    (await readdir(dir)).filter((name) => !name.startsWith(".")).sort(byName);

  for (const top of await visible(dataDir)) {
    if (!(PRESENTATION_CLASSES as readonly string[]).includes(top)) {
      skipped.push({ path: top, error: "not bona-fide/ or attack/: ignored" });
    }
  }
  for (const presentationClass of PRESENTATION_CLASSES) {
    const classDir = join(dataDir, presentationClass);
    const classStat = await stat(classDir).catch(() => null);
    if (!classStat?.isDirectory()) continue;
    for (const species of await visible(classDir)) {
      const speciesDir = join(classDir, species);
      const speciesStat = await stat(speciesDir).catch(() => null);
      if (!speciesStat?.isDirectory()) {
        skipped.push({
          path: `${presentationClass}/${species}`,
          error: "not inside a species folder (expected <class>/<species>/<file>)",
        });
        continue;
      }
      for (const name of await visible(speciesDir)) {
        const path = `${presentationClass}/${species}/${name}`;
        const absolutePath = join(speciesDir, name);
        const fileStat = await stat(absolutePath).catch(() => null);
        if (!fileStat) {
          skipped.push({ path, error: "unreadable (broken link or no permission)" });
          continue;
        }
        if (!fileStat.isFile()) {
          skipped.push({ path, error: "not a file (nested folders are not read)" });
          continue;
        }
        const media = mediaOf(name);
        if (!media) {
          skipped.push({
            path,
            error: `unsupported file type "${extname(name) || name}" (jpg, jpeg, png, mp4, mov, webm)`,
          });
          continue;
        }
        items.push({
          path,
          absolutePath,
          class: presentationClass,
          species,
          ...media,
          bytes: fileStat.size,
        });
      }
    }
  }
  return { items, skipped };
}
