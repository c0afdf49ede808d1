import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { RECORDED_SESSION_FILE } from "@lumen/protocol";
import { PRESENTATION_CLASSES, type PresentationClass, type SkippedItem } from "./collect-items.ts";

/** One recorded session's folder, found in `DIR/bona-fide/…` or `DIR/attack/<species>/…`. */
export interface SessionFolder {
  /** Relative to the sessions folder, `/`-separated. */
  readonly path: string;
  readonly absolutePath: string;
  readonly class: PresentationClass;
  /** The species folder it sits in; `null` for a session directly under `bona-fide/`. */
  readonly species: string | null;
}

/** Result of {@link collectSessionFolders}. */
export interface CollectedSessions {
  readonly sessions: SessionFolder[];
  readonly skipped: SkippedItem[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

async function hasSessionFile(folder: string): Promise<boolean> {
  return (await stat(join(folder, RECORDED_SESSION_FILE)).catch(() => null)) !== null;
}

/**
 * Lists the recorded sessions of a folder in a stable (sorted) order: every folder holding a
 * `session.json` at `bona-fide/<session>/`, `bona-fide/<species>/<session>/` or
 * `attack/<species>/<session>/`. Names starting with a dot are ignored; anything else is
 * reported in `skipped`, never thrown. Symbolic links are followed.
 *
 * @example
 * ```ts
 * const { sessions, skipped } = await collectSessionFolders("/data/recordings");
 * ```
 */
export async function collectSessionFolders(dir: string): Promise<CollectedSessions> {
  const sessions: SessionFolder[] = [];
  const skipped: SkippedItem[] = [];
  const visible = async (folder: string): Promise<string[]> =>
    (await readdir(folder)).filter((name) => !name.startsWith(".")).sort(byName);

  for (const top of await visible(dir)) {
    if (!(PRESENTATION_CLASSES as readonly string[]).includes(top)) {
      skipped.push({ path: top, error: "not bona-fide/ or attack/: ignored" });
    }
  }
  for (const presentationClass of PRESENTATION_CLASSES) {
    const classDir = join(dir, presentationClass);
    if (!(await isDirectory(classDir))) continue;
    for (const name of await visible(classDir)) {
      const path = `${presentationClass}/${name}`;
      const folder = join(classDir, name);
      if (!(await isDirectory(folder))) {
        skipped.push({ path, error: "not a session or species folder" });
        continue;
      }
      if (await hasSessionFile(folder)) {
        if (presentationClass === "attack") {
          skipped.push({ path, error: "an attack session must sit in attack/<species>/" });
        } else {
          sessions.push({ path, absolutePath: folder, class: presentationClass, species: null });
        }
        continue;
      }
      for (const session of await visible(folder)) {
        const sessionPath = `${path}/${session}`;
        const sessionDir = join(folder, session);
        if (!(await isDirectory(sessionDir))) {
          skipped.push({ path: sessionPath, error: "not a session folder" });
        } else if (!(await hasSessionFile(sessionDir))) {
          skipped.push({ path: sessionPath, error: `no ${RECORDED_SESSION_FILE}` });
        } else {
          sessions.push({
            path: sessionPath,
            absolutePath: sessionDir,
            class: presentationClass,
            species: name,
          });
        }
      }
    }
  }
  return { sessions, skipped };
}
