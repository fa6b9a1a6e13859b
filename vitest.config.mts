import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The real-CLI suites have a run of their own (`npm run test:cli`, vitest.cli.config.mts).
    exclude: ["test/cli/**", "**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file starts its own emulator and provider hosts; two cores run two files at a time.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
