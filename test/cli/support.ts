// What the real-CLI suites share: where the examples are, and one scenario per file run under both engines.
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { runUnderCli, runUnderLocalEngine, type EngineSide, type ScenarioOptions } from "./scenario";
import type { EngineResult } from "../engine";
import type { CliRun, CliStack } from "./stack";

export const ROOT = path.resolve(__dirname, "..", "..");
export const example = (name: string) => path.join(ROOT, "examples", name);

export interface BothEngines {
  cli: EngineSide<CliRun> & { stack: CliStack };
  local: EngineSide<EngineResult>;
}

/**
 * Runs the scenario under the real CLI, then under the local engine, before the file's tests; they assert on
 * what each run left. The emulators close and the scratch stack goes after them.
 */
export function bothEngines(scenario: () => ScenarioOptions): BothEngines {
  const both = {} as BothEngines;
  beforeAll(async () => {
    const options = scenario();
    both.cli = await runUnderCli(options);
    both.local = await runUnderLocalEngine(options);
  });
  afterAll(async () => {
    await Promise.all([both.cli?.emulator.close(), both.local?.emulator.close()]);
    both.cli?.stack.remove();
  });
  return both;
}
