import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECISION_THRESHOLDS } from "@lumen/core";
import { main } from "../src/cli.ts";
import type { VerificationReport } from "../src/verification-report.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const identities = join(repoRoot, "..", "shared", "media", "identities");

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

// A few celeb5 photos as DIR/<person>/<image>, by symbolic links; Jerry has one photo only
// (impostor pairs, no genuine pair).
const LAYOUT: Record<string, readonly string[]> = {
  "celeb5-Ben_Afflek": ["1.jpg", "2.jpg", "4.jpg"],
  "celeb5-Elton_John": ["2.jpg", "3.jpg", "6.jpg"],
  "celeb5-Madonna": ["1.jpg", "2.jpg", "3.jpg"],
  "celeb5-Jerry_Seinfield": ["1.jpg"],
};

let root: string;
let outDir: string;
let report: VerificationReport;
let exitCode: number;
const stdout = sink();
const stderr = sink();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lumen-eval-identities-"));
  const dataDir = join(root, "people");
  outDir = join(root, "out");
  for (const [person, files] of Object.entries(LAYOUT)) {
    await mkdir(join(dataDir, person), { recursive: true });
    for (const file of files)
      await symlink(join(identities, person, file), join(dataDir, person, file));
  }
  // Bad inputs: a corrupt JPEG and a faceless PNG fail to enrol; a text file and a file
  // outside any person folder are skipped.
  await writeFile(join(dataDir, "celeb5-Madonna", "corrupt.jpg"), new Uint8Array(512).fill(7));
  await mkdir(join(dataDir, "nobody"));
  await promisify(execFile)("ffmpeg", [
    ...["-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=96x96", "-frames:v", "1"],
    join(dataDir, "nobody", "grey.png"),
  ]);
  await writeFile(join(dataDir, "celeb5-Elton_John", "notes.txt"), "not an image");
  await writeFile(join(dataDir, "README.md"), "not a person");
  exitCode = await main(["--identities", "people", "--out", "out"], { stdout, stderr, cwd: root });
  report = JSON.parse(await readFile(join(outDir, "report.json"), "utf8")) as VerificationReport;
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("pnpm eval --identities", () => {
  it("exits 0, writes both reports and prints the measures", () => {
    expect(exitCode, stderr.text()).toBe(0);
    expect(stdout.text()).toMatch(/FNMR@FMR1% .* FNMR@FMR0\.1% .* EER/);
    expect(stdout.text()).toContain(join(outDir, "report.html"));
  });

  it("enrols every photo and counts the bad images as failures to enrol", () => {
    expect(report.counts).toEqual({
      persons: 5,
      images: 12,
      enrolled: 10,
      failureToEnrol: 2,
      failureToEnrolRate: 2 / 12,
      skipped: 2,
    });
    const failures = report.images.filter((i) => !i.enrolled);
    expect(failures.map((i) => i.path).sort()).toEqual([
      "celeb5-Madonna/corrupt.jpg",
      "nobody/grey.png",
    ]);
    expect(failures.find((i) => i.path === "nobody/grey.png")?.failure).toBe(
      "No face was found in the reference image",
    );
    expect(failures.find((i) => i.path.endsWith("corrupt.jpg"))?.failure).toMatch(/not a JPEG/);
    expect(report.skipped.map((s) => s.path).sort()).toEqual([
      "README.md",
      "celeb5-Elton_John/notes.txt",
    ]);
  });

  it("forms every genuine pair and every impostor pair of the enrolled images", () => {
    // 3 persons × 3 photos: 3 genuine pairs each; 10 enrolled images: 45 pairs in all.
    expect(report.verification.genuinePairs).toBe(9);
    expect(report.verification.impostorPairs).toBe(45 - 9);
    expect(report.sampling.sampled).toBe(false);
    expect(report.sampling.impostorPairsAvailable).toBe(36);
  });

  it("reports the ISO/IEC 19795-1 measures, consistent with the DET curve", () => {
    const v = report.verification;
    expect(report.threshold).toBe(DECISION_THRESHOLDS.standard.faceMatch.maxDistance);
    expect(report.policies.high).toMatchObject({
      threshold: DECISION_THRESHOLDS.high.faceMatch.maxDistance,
      fmrSetFor: 0.001,
    });
    // A stricter bound can only match fewer impostors and more genuine pairs fail.
    expect(report.policies.high.fmr).toBeLessThanOrEqual(report.policies.standard.fmr ?? 0);
    expect(report.policies.high.fnmr).toBeGreaterThanOrEqual(report.policies.standard.fnmr ?? 1);
    expect(Object.keys(v.fnmrAtFmr)).toEqual(["0.01", "0.001"]);
    for (const key of ["0.01", "0.001"] as const) {
      const point = v.fnmrAtFmr[key];
      expect(point?.fmr).toBeLessThanOrEqual(Number(key));
    }
    for (const rate of [v.eer, v.fmr, v.fnmr]) {
      expect(rate).toBeGreaterThanOrEqual(0);
      expect(rate).toBeLessThanOrEqual(1);
    }
    // The DET curve runs from nothing matched (threshold −∞, written null) to everything.
    expect(v.det[0]).toEqual({ threshold: null, fmr: 0, fnmr: 1 });
    expect(v.det.at(-1)).toMatchObject({ fmr: 1, fnmr: 0 });
    expect(v.distances.genuine?.median).toBeLessThan(v.distances.impostor?.median ?? 0);
    expect(report.model.id).toBe("face-recognition-resnet29");
  });

  it("writes no embedding and a self-contained HTML report", async () => {
    const json = await readFile(join(outDir, "report.json"), "utf8");
    expect(json).not.toMatch(/embedding"/);
    const html = await readFile(join(outDir, "report.html"), "utf8");
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    expect(html).toContain("DET curve");
    expect(html).toContain("FNMR @ FMR ≤ 0.1%");
    expect(html).toContain("Face match per policy");
    expect(html).toMatch(/<td>high<\/td><td>0\.48<\/td>/);
    expect(html).toContain("nobody/grey.png");
    expect(html).toContain("celeb5-Elton_John/notes.txt");
  });
});
