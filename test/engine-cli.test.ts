// The engine as a command (`npm run engine -- …`): exit codes, --json for PR bots, and what an `up`
// killed in the middle leaves behind: every completed step, and the operation that was in flight.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultStateFile, runEngine } from "./engine";
import { ITEMS_PROJECT, ITEM, ItemsStack, itemsStacks, type ItemSpec } from "./engine/fixtures/items-stack";
import type { Checkpoint } from "./engine";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(__dirname, "engine", "cli.ts");

const newStack = itemsStacks();

function args(stack: ItemsStack, op: string, items: ItemSpec[], extra: string[] = []): string[] {
  return ["--import", "tsx", CLI, op, "--cwd", ITEMS_PROJECT, "--stack", "dev", "--state", stack.stateFile, "--config", `fixture:cloud=${stack.cloudFile}`, "--config", `fixture:items=${JSON.stringify(items)}`, ...extra];
}

function engine(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Provider hosts started with `mark` in their environment that are still running. */
function hostsWith(mark: string): number[] {
  return fs
    .readdirSync("/proc")
    .filter((pid) => {
      try {
        return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("dynamic-provider") && fs.readFileSync(`/proc/${pid}/environ`, "utf8").includes(mark);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("engine command", () => {
  it("--json prints one JSON document with the steps, summary and diagnostics, and exits 0", () => {
    const stack = newStack();
    const r = engine(args(stack, "preview", [{ name: "a", size: 1 }], ["--json"]));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const plan = JSON.parse(lines[0]);
    expect(plan).toMatchObject({ operation: "preview", ok: true, summary: { create: 2 } });
    expect(plan.steps[1]).toEqual({ op: "create", urn: `urn:pulumi:dev::items::${ITEM}::a`, type: ITEM, name: "a", diffs: [], replaces: [], new: expect.objectContaining({ name: "a", size: 1, zone: "a" }) });
    // What the program prints is a diagnostic, not stray output on stdout.
    expect(plan.diagnostics).toContain("declared 1 items");
  });

  it("a preview whose Check fails prints the property and the reason and exits non-zero", () => {
    const stack = newStack();
    const r = engine(args(stack, "preview", [{ name: "a", size: -2 }]));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  +  ${ITEM}  a  create failed`);
    expect(r.stdout).toContain("      error: size: size must be a positive whole number, not -2");
  });

  it("rejects a wrong command line with the usage and exit code 2", () => {
    const r = engine(["--import", "tsx", CLI, "deploy", "--cwd", ITEMS_PROJECT]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: engine <preview|up|refresh|destroy>");
    expect(engine(["--import", "tsx", CLI, "up", "--parallel", "many"]).code).toBe(2);
  });

  it("the state file defaults to <cwd>/.engine-state/<stack>.json", async () => {
    const preview = await runEngine("preview", { cwd: ITEMS_PROJECT, stack: "dev", config: { "fixture:cloud": newStack().cloudFile } });
    expect(preview.stateFile).toBe(path.join(ITEMS_PROJECT, ".engine-state", "dev.json"));
    expect(defaultStateFile("/p", "prod")).toBe(path.join("/p", ".engine-state", "prod.json"));
  });

  it("an up killed in the middle keeps every completed step and the create in flight; its host goes too; the next up warns and converges", async () => {
    const stack = newStack();
    const mark = `engine-kill-${process.pid}-${Date.now()}`;
    const items: ItemSpec[] = [
      { name: "a", size: 1 },
      { name: "slow", size: 1, dependsOn: ["a"], delayMs: 20_000 },
    ];
    const child = spawn(process.execPath, args(stack, "up", items), { cwd: ROOT, env: { ...process.env, ENGINE_TEST_MARK: mark }, stdio: "ignore" });
    const exited = new Promise((r) => child.on("exit", r));
    let state: Checkpoint | undefined;
    // A loaded machine may take a while to start the engine and its host: wait for the slow create itself.
    for (let i = 0; i < 1200 && !state?.pendingOperations?.some((p) => p.urn.endsWith("::slow")); i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = stack.state();
    }
    expect(state?.pendingOperations, "the slow create never started").toBeDefined();
    expect(hostsWith(mark)).toHaveLength(1);
    child.kill("SIGKILL");
    await exited;

    state = stack.state()!;
    expect(state.resources.map((r) => r.name)).toEqual(["items-dev", "a"]);
    expect(state.pendingOperations).toEqual([{ urn: `urn:pulumi:dev::items::${ITEM}::slow`, type: ITEM, op: "creating" }]);
    // The host notices its engine is gone and exits instead of lingering.
    for (let i = 0; i < 40 && hostsWith(mark).length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(hostsWith(mark)).toEqual([]);

    const again = await stack.run("up", [items[0], { ...items[1], delayMs: 0 }]);
    expect(again.ok, again.error).toBe(true);
    expect(again.diagnostics[0]).toContain(`warning: Attempting to deploy or update resources with 1 pending operations from previous deployment.\n  * urn:pulumi:dev::items::${ITEM}::slow, interrupted while creating\n`);
    expect(again.summary).toMatchObject({ create: 1, same: 2 });
    expect(stack.state()!.pendingOperations).toBeUndefined();
  });
});
