import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The default output, then the attack suite's table (when it ran) at the very end.
    reporters: ["default", "./test/src/harness/attack-table-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts", "models/test/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/src/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Each file drives its own Chromium; two cores cannot take more than one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
