// The local engine's programmatic entry. Each operation runs in its own process (`cli.ts --json`), as
// `pulumi` runs each program in its own language host: no runtime state leaks between runs.
import { spawn } from "node:child_process";
import path from "node:path";
import { render, type EngineOperation, type Step, type StepOp } from "./display";
import type { EngineOptions, EngineResult as EngineRun } from "./engine";
import type { Checkpoint } from "./state";

export type { EngineOperation, Step, StepOp, Checkpoint };
export { startProviderHost, HostError, type ProviderHost } from "./host";

export type RunEngineOptions = Omit<EngineOptions, "onLine">;

export interface EngineResult extends EngineRun {
  /** The engine process's own stderr (crashes). */
  stderr: string;
}

const CLI = path.join(__dirname, "cli.ts");

export function runEngine(operation: EngineOperation, options: RunEngineOptions): Promise<EngineResult> {
  const args = [require.resolve("tsx/cli"), CLI, operation, "--cwd", options.cwd, "--stack", options.stack, "--json"];
  if (options.stateFile) args.push("--state", options.stateFile);
  if (options.parallel) args.push("--parallel", String(options.parallel));
  for (const [k, v] of Object.entries(options.config ?? {})) args.push("--config", `${k}=${v}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      try {
        const plan = JSON.parse(line) as Omit<EngineResult, "text" | "stderr">;
        resolve({ ...plan, text: render(operation, options.stack, plan.steps, plan.diagnostics, plan.outputs, plan.error), stderr });
      } catch {
        reject(new Error(`engine exited with ${code} without a result:\n${stderr || stdout}`));
      }
    });
  });
}
