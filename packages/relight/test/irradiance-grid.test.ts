import { describe, expect, it } from "vitest";
import type { ScreenState } from "../src/index.ts";
import { SCREEN_GEOMETRY, screenLight } from "@lumen/core";
import { screenLightPerNormal } from "../src/lib/irradiance-grid.ts";

describe("screenLightPerNormal", () => {
  it("matches @lumen/core's screenLight integral within 0.2 % of a frontal full screen", () => {
    const normals: number[] = [];
    for (let i = 0; i < 200; i++) {
      // Directions over the camera-facing hemisphere, down to 85° off the axis.
      const polar = ((i % 20) / 19) * ((85 * Math.PI) / 180);
      const azimuth = (Math.floor(i / 20) / 10) * 2 * Math.PI;
      normals.push(
        Math.sin(polar) * Math.cos(azimuth),
        Math.sin(polar) * Math.sin(azimuth),
        -Math.cos(polar),
      );
    }
    const screens: ScreenState[] = [
      { pattern: "left-right", colours: ["#ff0000", "#0000ff"] },
      { pattern: "top-bottom", colours: ["#00ff00", "#ff00ff"] },
      { pattern: "full", colours: ["#ffff00", "#ffff00"] },
    ];
    for (const screen of screens) {
      const table = screenLightPerNormal(screen, new Float32Array(normals), SCREEN_GEOMETRY);
      for (let v = 0; v < normals.length / 3; v++) {
        const normal = {
          x: normals[3 * v] ?? 0,
          y: normals[3 * v + 1] ?? 0,
          z: normals[3 * v + 2] ?? 0,
        };
        const exact = screenLight(screen, normal);
        for (let c = 0; c < 3; c++) {
          expect(Math.abs((table[3 * v + c] ?? 0) - (exact[c] ?? 0))).toBeLessThan(0.002);
        }
      }
    }
  });
});
