import { defineConfig } from "vitest/config";

// `npm run test:cli`: the suites that run the real Pulumi CLI (test/cli/). Kept out of `npm test`, which must
// run on a machine without Go. The global setup finds or builds the CLI once, before any file starts.
export default defineConfig({
  test: {
    include: ["test/cli/**/*.test.ts"],
    globalSetup: ["test/cli/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
