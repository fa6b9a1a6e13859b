import { defineConfig } from "vitest/config";

// `npm run test:cli`: the suites that run the real Pulumi CLI (test/cli/). Kept out of `npm test`, which must
// run on a machine without Go. The global setup finds or builds the CLI once, before any file starts.
export default defineConfig({
  test: {
    include: ["test/cli/**/*.test.ts"],
    globalSetup: ["test/cli/global-setup.ts"],
    // A file runs its whole scenario (ten or so CLI commands, a few seconds each on an idle machine) in one
    // hook; on a shared 2-core machine that can take minutes.
    testTimeout: 600_000,
    hookTimeout: 1_200_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
