import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECISION_THRESHOLDS } from "@lumen/core";
import { createOnnxFrameAnalyzer, decodeJpeg } from "@lumen/server";
import { main } from "../src/cli.ts";
import { EVAL_LIMITS } from "../src/eval-limits.ts";
import { combinedScore } from "../src/passive-assessment.ts";
import type { EvalReport } from "../src/report.ts";
import {
  minifasnetDeclaration,
  OPERATOR_MODEL_ID,
  writeDeclarations,
} from "../../server/test/support/operator-model.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const media = join(repoRoot, "..", "shared", "media");
const modelDir = join(repoRoot, "models", "dist");

function sink(): { write(text: string): boolean; text: () => string } {
  let text = "";
  return {
    write(chunk: string) {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}

// The shared media arranged as DIR/<class>/<species>/<file>, by symbolic links.
const LAYOUT: Record<string, readonly string[]> = {
  "bona-fide/video": [
    "genuine/liveportrait-d12.mp4",
    "genuine/liveportrait-d19.mp4",
    "genuine/liveportrait-d3.mp4",
    "genuine/liveportrait-d9.mp4",
  ],
  "bona-fide/still": [
    "stills/silentface-image_T1.jpg",
    "stills/mesonet-real00240.jpg",
    "stills/mesonet-real00772.jpg",
    "stills/human-person-celeste.jpg",
    "stills/human-person-lexi.jpg",
    "stills/human-person-vlado.jpg",
  ],
  "attack/print": ["stills/silentface-image_F1.jpg"],
  "attack/replay": ["stills/silentface-image_F2.jpg"],
  "attack/deepfake": ["stills/mesonet-df00204.jpg", "stills/mesonet-df01254.jpg"],
  "attack/synthetic": ["stills/human-ai-face.jpg"],
  "attack/cgi": ["stills/human-cgi-model-1.jpg"],
};
// Files that must be skipped and reported, never crash the run.
const BAD = {
  "attack/print/corrupt.jpg": "garbage",
  "attack/print/truncated.jpg": "truncated",
  "attack/replay/empty.png": "empty",
  "attack/replay/broken.mp4": "garbage",
  "bona-fide/still/notes.txt": "text",
} as const;

let root: string;
let dataDir: string;
let outDir: string;
let report: EvalReport;
let exitCode: number;
const stdout = sink();
const stderr = sink();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lumen-eval-"));
  dataDir = join(root, "data");
  outDir = join(root, "out");
  for (const [folder, files] of Object.entries(LAYOUT)) {
    await mkdir(join(dataDir, folder), { recursive: true });
    for (const file of files) {
      await symlink(join(media, file), join(dataDir, folder, file.split("/").at(-1) ?? file));
    }
  }
  const noise = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
  const t1 = await readFile(join(media, "stills/silentface-image_T1.jpg"));
  await writeFile(join(dataDir, "attack/print/corrupt.jpg"), noise);
  await writeFile(join(dataDir, "attack/print/truncated.jpg"), t1.subarray(0, 2000));
  await writeFile(join(dataDir, "attack/replay/empty.png"), "");
  await writeFile(join(dataDir, "attack/replay/broken.mp4"), noise);
  await writeFile(join(dataDir, "bona-fide/still/notes.txt"), "not an image");
  // The shipped MiniFASNet declared as an operator's own model, as the server takes it.
  await writeDeclarations(root, [minifasnetDeclaration()]);
  // Relative paths resolve against the caller's folder (pnpm's INIT_CWD).
  exitCode = await main(
    ["--data", "data", "--out", "out", "--passive-models", "passive-models.json"],
    { stdout, stderr, cwd: root },
  );
  report = JSON.parse(await readFile(join(outDir, "report.json"), "utf8")) as EvalReport;
}, 240_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("pnpm eval on the shared media", () => {
  it("exits 0, writes both reports and prints a summary", () => {
    expect(exitCode, stderr.text()).toBe(0);
    expect(stdout.text()).toMatch(/APCERmax .* BPCER .* ACER .* EER .* AUC/);
    expect(stdout.text()).toContain(join(outDir, "report.html"));
  });

  it("evaluates exactly the files arranged, by class and species", () => {
    const arranged = Object.entries(LAYOUT).flatMap(([folder, files]) =>
      files.map((f) => `${folder}/${f.split("/").at(-1) ?? f}`),
    );
    expect(report.items.map((i) => i.path).sort()).toEqual(arranged.sort());
    expect(report.counts.bonaFide).toBe(10);
    expect(report.counts.attack).toBe(6);
    expect(report.counts.attackBySpecies).toEqual({
      cgi: 1,
      deepfake: 2,
      print: 1,
      replay: 1,
      synthetic: 1,
    });
    expect(report.counts.bonaFideBySpecies).toEqual({ still: 6, video: 4 });
  });

  it("skips and reports every bad file, on stderr too", () => {
    expect(report.skipped.map((s) => s.path).sort()).toEqual(Object.keys(BAD).sort());
    expect(report.counts.skipped).toBe(Object.keys(BAD).length);
    const error = (path: string): string =>
      report.skipped.find((s) => s.path === path)?.error ?? "";
    expect(error("attack/print/corrupt.jpg")).toMatch(/not a JPEG/);
    expect(error("attack/print/truncated.jpg")).toMatch(/corrupt|truncated/);
    expect(error("attack/replay/empty.png")).toBe("empty file");
    expect(error("attack/replay/broken.mp4")).toMatch(/ffmpeg/);
    expect(error("bona-fide/still/notes.txt")).toMatch(/unsupported file type/);
    for (const path of Object.keys(BAD)) expect(stderr.text()).toContain(`skipped ${path}`);
  });

  it("samples videos at the documented rate and cap", () => {
    for (const item of report.items) {
      if (item.media === "video") {
        // Every genuine clip lasts more than 7 s (d12 7.3 s); d19, d3 and d9 last more than
        // 8.3 s, longer than the cap covers at the sampling rate.
        const cap = EVAL_LIMITS.maxVideoFrames;
        expect(item.frames).toBeGreaterThanOrEqual(
          Math.min(cap, Math.floor(7 * EVAL_LIMITS.sampleFps)),
        );
        expect(item.frames).toBeLessThanOrEqual(cap);
        if (!item.path.endsWith("d12.mp4") && cap <= 8.3 * EVAL_LIMITS.sampleFps) {
          expect(item.frames).toBe(cap);
        }
      } else expect(item.frames).toBe(1);
    }
  });

  it("reports APCER, BPCER and ACER equal to a hand count of the per-item decisions", () => {
    const bona = report.items.filter((i) => i.class === "bona-fide");
    const attacks = report.items.filter((i) => i.class === "attack");
    for (const species of Object.keys(report.counts.attackBySpecies)) {
      const ofSpecies = attacks.filter((i) => i.species === species);
      const accepted = ofSpecies.filter((i) => i.decision === "accepted").length;
      expect(report.apcer[species], species).toBe(accepted / ofSpecies.length);
    }
    const apcerMax = Math.max(...Object.values(report.apcer));
    const bpcer = bona.filter((i) => i.decision === "rejected").length / bona.length;
    expect(report.apcerMax).toBe(apcerMax);
    expect(report.bpcer).toBe(bpcer);
    expect(report.acer).toBeCloseTo((apcerMax + bpcer) / 2, 12);
    for (const i of report.items) expect(i.decision === "accepted").toBe(i.outcome === "pass");
  });

  it("ties the combined score to the decision at the threshold in force", () => {
    const t = DECISION_THRESHOLDS.standard;
    for (const i of report.items) {
      if (i.liveness === null || i.realness === null) {
        expect(i.combined).toBeNull();
        continue;
      }
      expect(i.combined).toBeCloseTo(combinedScore(i.liveness, i.realness, t), 12);
      const scoredFail = i.reasons.some(
        (r) => r === "SPOOF_SUSPECTED" || r === "DEEPFAKE_SUSPECTED",
      );
      expect(scoredFail, i.path).toBe((i.combined ?? 0) < report.threshold);
      // Accepted exactly when no other reason gates it and the combined score clears 0.
      expect(i.decision === "accepted", i.path).toBe(
        i.gatedBy.length === 0 && (i.combined ?? -1) >= report.threshold,
      );
    }
  });

  it("lists the items without a face and rejects them (the CGI still has none)", () => {
    const noFace = report.items.filter((i) => i.faces === 0).map((i) => i.path);
    expect(report.noFace).toEqual(noFace);
    expect(report.counts.noFace).toBe(noFace.length);
    expect(noFace).toContain("attack/cgi/human-cgi-model-1.jpg");
    for (const i of report.items.filter((x) => x.noFace)) {
      expect(i.decision).toBe("rejected");
      expect(i.reasons).toContain("NO_FACE");
    }
  });

  it("gives the same scores as the server's analyzer on a still", async () => {
    const analyzer = await createOnnxFrameAnalyzer({ modelDir });
    try {
      const bytes = new Uint8Array(await readFile(join(media, "stills/silentface-image_F1.jpg")));
      const { face } = await analyzer.analyse(await decodeJpeg(bytes, { maxPixels: 1280 * 1280 }));
      const item = report.items.find((i) => i.path === "attack/print/silentface-image_F1.jpg");
      expect(face).not.toBeNull();
      expect(item?.liveness).toBe(face?.liveness);
      expect(item?.realness).toBe(face?.realness);
    } finally {
      await analyzer.close();
    }
  });

  it("reports an operator's declared model like the shipped ones", () => {
    const models = report.passive?.supported.models ?? {};
    expect(models[OPERATOR_MODEL_ID]?.items).toBeGreaterThan(0);
    expect(models[OPERATOR_MODEL_ID]?.items).toBe(models["minifasnet-v2-se"]?.items);
    // A still is one frame, which every passive model scores: the same file, the same score.
    const stills = report.items.filter((i) => i.media !== "video" && !i.noFace);
    expect(stills.length).toBeGreaterThan(0);
    for (const item of stills) {
      expect(item.modelScores?.[OPERATOR_MODEL_ID]).toBe(item.modelScores?.["minifasnet-v2-se"]);
    }
  });

  it("carries the metrics, the model hashes and the code version", async () => {
    expect(report.policy).toBe("standard");
    expect(report.threshold).toBe(0);
    for (const value of [
      report.eer,
      report.auc,
      report.models.liveness.auc,
      report.models.realness.eer,
    ]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(report.bpcerAtApcer)).toEqual(["0.01", "0.05"]);
    const { createHash } = await import("node:crypto");
    const manifest = await readFile(join(modelDir, "manifest.json"));
    expect(report.provenance.models.manifestSha256).toBe(
      createHash("sha256").update(manifest).digest("hex"),
    );
    expect(report.provenance.models.modelsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.provenance.code.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Date.parse(report.createdAt)).not.toBeNaN();
    expect(report.sampling?.videoFps).toBe(EVAL_LIMITS.sampleFps);
  });

  it("writes a self-contained HTML report", async () => {
    const html = await readFile(join(outDir, "report.html"), "utf8");
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    expect(html).toContain("DET curve");
    expect(html).toContain("ROC curve");
    expect(html).toContain("<h2>Passive models</h2>");
    expect(html).toContain("<code>hyperfas</code>");
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(2 + 7); // 2 curves, 7 species
    for (const item of report.items) expect(html).toContain(item.path);
    for (const skipped of report.skipped) expect(html).toContain(skipped.path);
  });
});
