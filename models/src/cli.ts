// `pnpm models [--update-pins] [--out DIR]`: builds every model into models/dist/.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildModels } from "./build-models.ts";
import { MODEL_RECIPES } from "./model-recipes.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const { values } = parseArgs({
  options: {
    "update-pins": { type: "boolean", default: false },
    out: { type: "string", default: `${root}models/dist` },
  },
});

const defaultMirror = `${root}../shared/models`;
const mirrorDir =
  process.env.LUMEN_MODEL_MIRROR ?? (existsSync(defaultMirror) ? defaultMirror : undefined);

try {
  const built = await buildModels(MODEL_RECIPES, {
    outDir: values.out,
    acceptNewPins: values["update-pins"],
    mirrorDir,
    cacheDir: `${root}models/.cache`,
    fetch: globalThis.fetch,
    requireFrom: `${root}models/package.json`,
  });
  if (values["update-pins"]) {
    const pins = Object.fromEntries(built.map(({ id, sha256, bytes }) => [id, { sha256, bytes }]));
    const pinsPath = `${root}packages/core/src/models/model-pins.json`;
    await writeFile(pinsPath, `${JSON.stringify(pins, null, 2)}\n`);
    console.log(`pins written to ${pinsPath}`);
  }
  for (const { id, bytes, sha256 } of built) console.log(`${id}  ${bytes} bytes  ${sha256}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
