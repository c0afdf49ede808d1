import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { SkippedItem } from "./collect-items.ts";
import { EVAL_LIMITS, JPEG_EXTENSIONS, PNG_EXTENSIONS } from "./eval-limits.ts";

/** One photo of the identity set, found in `DIR/<person>/<image>`. */
export interface IdentityImage {
  /** Relative to the identities folder, `/`-separated. */
  readonly path: string;
  readonly absolutePath: string;
  /** The person's folder name: images in one folder show one person. */
  readonly person: string;
  readonly media: "jpeg" | "png";
  readonly container: null;
  readonly bytes: number;
}

/** Result of {@link collectIdentities}. */
export interface CollectedIdentities {
  readonly images: IdentityImage[];
  readonly skipped: SkippedItem[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function mediaOf(name: string): IdentityImage["media"] | null {
  const ext = extname(name).toLowerCase();
  if ((JPEG_EXTENSIONS as readonly string[]).includes(ext)) return "jpeg";
  if ((PNG_EXTENSIONS as readonly string[]).includes(ext)) return "png";
  return null;
}

/**
 * Lists the identity set in a stable (sorted) order, at most `EVAL_LIMITS.maxIdentityImages`
 * images. Names starting with a dot are ignored; anything else that is not a JPEG or PNG file
 * inside a person folder is reported in `skipped`, never thrown. Symbolic links are followed.
 *
 * @example
 * ```ts
 * const { images, skipped } = await collectIdentities("/data/identities");
 * ```
 */
export async function collectIdentities(dir: string): Promise<CollectedIdentities> {
  const images: IdentityImage[] = [];
  const skipped: SkippedItem[] = [];
  const visible = async (folder: string): Promise<string[]> =>
    (await readdir(folder)).filter((name) => !name.startsWith(".")).sort(byName);

  for (const person of await visible(dir)) {
    const personDir = join(dir, person);
    if (!(await stat(personDir).catch(() => null))?.isDirectory()) {
      skipped.push({
        path: person,
        error: "not inside a person folder (expected <person>/<image>)",
      });
      continue;
    }
    for (const name of await visible(personDir)) {
      const path = `${person}/${name}`;
      const absolutePath = join(personDir, name);
      const fileStat = await stat(absolutePath).catch(() => null);
      const media = mediaOf(name);
      if (!fileStat) skipped.push({ path, error: "unreadable (broken link or no permission)" });
      else if (!fileStat.isFile()) {
        skipped.push({ path, error: "not a file (nested folders are not read)" });
      } else if (!media) {
        skipped.push({
          path,
          error: `unsupported file type "${extname(name) || name}" (jpg, jpeg, png)`,
        });
      } else if (images.length >= EVAL_LIMITS.maxIdentityImages) {
        skipped.push({
          path,
          error: `more than ${EVAL_LIMITS.maxIdentityImages} images: not read`,
        });
      } else {
        images.push({ path, absolutePath, person, media, container: null, bytes: fileStat.size });
      }
    }
  }
  return { images, skipped };
}
