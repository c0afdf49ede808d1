import { describe, expect, it } from "vitest";
import { DECISION_THRESHOLDS } from "@lumen/core";
import { Policy } from "@lumen/protocol";
import { parsePamStream } from "../src/pam.ts";
import { combinedScore } from "../src/passive-assessment.ts";
import { createProgress } from "../src/progress.ts";

const enc = (text: string): number[] => [...new TextEncoder().encode(text)];
const pam = (w: number, h: number, depth = 4): number[] => [
  ...enc(`P7\nWIDTH ${w}\nHEIGHT ${h}\nDEPTH ${depth}\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n`),
  ...new Array<number>(w * h * depth).fill(w),
];

describe("parsePamStream", () => {
  it("splits consecutive RGBA frames", () => {
    const frames = parsePamStream(new Uint8Array([...pam(2, 1), ...pam(3, 2)]));
    expect(frames.map((f) => [f.width, f.height, f.data.length, f.data[0]])).toEqual([
      [2, 1, 8, 2],
      [3, 2, 24, 3],
    ]);
  });

  it("refuses truncated data, a wrong depth, or something else", () => {
    expect(() => parsePamStream(new Uint8Array(pam(2, 2).slice(0, -1)))).toThrow("truncated");
    expect(() => parsePamStream(new Uint8Array(pam(2, 2, 3)))).toThrow("8-bit RGBA");
    expect(() => parsePamStream(new Uint8Array(enc("P6\n2 2\n255\n")))).toThrow("not a PAM");
  });
});

describe("combinedScore", () => {
  it.each(Policy.options)(
    "is ≥ 0 exactly when %s's liveness and realness bars are met",
    (policy) => {
      const t = DECISION_THRESHOLDS[policy];
      for (const liveness of [-5, t.minMedianLiveness - 0.01, t.minMedianLiveness, 3, 12]) {
        for (const realness of [
          0,
          0.05,
          t.minMedianRealness - 0.001,
          t.minMedianRealness,
          0.6,
          1,
        ]) {
          const passes = liveness >= t.minMedianLiveness && realness >= t.minMedianRealness;
          expect(combinedScore(liveness, realness, t) >= 0, `${liveness} ${realness}`).toBe(passes);
        }
      }
    },
  );

  it("is the smaller margin, both in log-odds", () => {
    const t = DECISION_THRESHOLDS.standard;
    // logit(0.5) − logit(0.2) = ln 4.
    expect(combinedScore(10, 0.5, t)).toBeCloseTo(Math.log(4), 12);
    expect(combinedScore(-2, 0.5, t)).toBe(-2 - t.minMedianLiveness);
  });
});

describe("createProgress", () => {
  it("writes one plain line per item when stderr is not a terminal", () => {
    let text = "";
    const progress = createProgress({ write: (t: string) => (text += t) }, 2);
    progress.tick("a.jpg", "accepted");
    progress.note("skipped b.png: empty file");
    progress.tick("b.png", "skipped");
    progress.done();
    expect(text).toBe("[1/2] a.jpg: accepted\nskipped b.png: empty file\n[2/2] b.png: skipped\n");
  });

  it("redraws a bar in place on a terminal", () => {
    let text = "";
    const progress = createProgress({ write: (t: string) => (text += t), isTTY: true }, 4);
    progress.tick("a.jpg", "accepted");
    expect(text).toBe(`\r\x1b[K[${"#".repeat(7)}${".".repeat(21)}] 1/4 a.jpg`);
    progress.done();
    expect(text.endsWith("\n")).toBe(true);
  });
});
