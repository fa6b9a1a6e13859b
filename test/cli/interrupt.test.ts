// An `up` killed while its RenewInstance is in flight (the CLI and every process it started, as a closed
// laptop or a cancelled CI job would), then `pulumi cancel` and `up` again: the stack converges with one charge.
// The local engine, killed at the same point (its checkpoint says the order is being created), converges the
// same way, and its last up takes the CLI's steps.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "../emulator";
import { runEngine, type EngineResult } from "../engine";
import { readCheckpoint } from "../engine/state";
import { killTree } from "./processes";
import { emulatorEnv } from "./scenario";
import { CliStack, type CliRun } from "./stack";
import { ROOT } from "./support";

const PROJECT = path.join(__dirname, "fixtures", "renewals");
const ID = "i-bp1demo000000000004";
const ORDER = "urn:pulumi:dev::renewals::alicloud-renewal:index:ManualRenewal$pulumi-nodejs:dynamic/alicloud-renewal:RenewalOrder::o-order";
const CONFIG = { orders: JSON.stringify([{ name: "o", instanceId: ID }]) };

/** Kills the process and all it started, and waits for its close. */
async function kill(child: ChildProcess): Promise<void> {
  const closed = new Promise((r) => child.once("close", r));
  await killTree(child.pid!);
  await closed;
}

const slowRenewal = (e: Emulator) => e.faults.add({ action: "RenewInstance", kind: "latency", ms: 3000, times: 1 });

describe("an up interrupted by killing the CLI", () => {
  let emulator: Emulator;
  let stack: CliStack;
  let interrupted: { stdout: string; ledger: number };
  let blocked: { code: number; stdout: string; stderr: string };
  let again: CliRun;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
    stack = await CliStack.create(PROJECT, { env: emulatorEnv(emulator) });
    await stack.configSet("orders", CONFIG.orders);
    slowRenewal(emulator);
    let stdout = "";
    let child!: ChildProcess;
    const run = stack.run("up", {
      onSpawn: (c) => {
        child = c;
        c.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      },
    });
    // The order's create has started when ManualRenewal says it is ordering; the call then waits 3 s.
    for (let i = 0; i < 1200 && !stdout.includes("ordering renew"); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    await kill(child);
    await run.catch(() => undefined);
    // The request the killed CLI left behind is answered (and charged) by the emulator all the same.
    await emulator.idle();
    interrupted = { stdout, ledger: emulator.ledger().length };
    blocked = await stack.pulumi(["up", "--yes", "--skip-preview", "--non-interactive", "--stack", "dev"]);
    await stack.expect(["cancel", "--yes", "--stack", "dev"]);
    emulator.clearCalls();
    again = await stack.run("up");
  });
  afterAll(async () => {
    await emulator?.close();
    stack?.remove();
  });

  it("the kill came while RenewInstance was in flight; the order was placed all the same", () => {
    expect(interrupted.stdout).toContain("ordering renew");
    expect(interrupted.ledger).toBe(1);
  });

  it("the stack stays locked until `pulumi cancel`", () => {
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toMatch(/locked/i);
  });

  it("the next up warns about the interrupted create and converges: the same client token, no second charge", () => {
    expect(again.ok, again.stdout + again.stderr).toBe(true);
    expect(again.stdout).toContain(`${ORDER}, interrupted while creating`);
    expect(again.steps.find((s) => s.name === "o-order")).toMatchObject({ op: "create" });
    expect(emulator.ledger()).toHaveLength(1);
    const renew = emulator.calls().filter((c) => c.action === "RenewInstance");
    expect(renew.map((c) => c.clientToken)).toEqual(renew.length ? [emulator.ledger()[0].clientToken] : []);
    expect(again.outputs).toMatchObject({ managed: ["o"] });
  });

  describe("the local engine, killed at the same point", () => {
    let local: { emulator: Emulator; again: EngineResult; ledgerAfterKill: number };
    beforeAll(async () => {
      const e = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "interrupt-"));
      const stateFile = path.join(dir, "state.json");
      try {
        slowRenewal(e);
        const args = ["--import", "tsx", path.join(ROOT, "test", "engine", "cli.ts"), "up", "--cwd", PROJECT, "--stack", "dev", "--state", stateFile, "--config", `orders=${CONFIG.orders}`];
        const child = spawn(process.execPath, args, { cwd: ROOT, env: emulatorEnv(e), stdio: "ignore" });
        const pendingOrder = () => {
          try {
            return readCheckpoint(stateFile, "renewals", "dev").pendingOperations?.some((p) => p.urn === ORDER);
          } catch {
            return false; // Caught between a write and its rename.
          }
        };
        for (let i = 0; i < 1200 && !pendingOrder(); i++) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 500));
        await kill(child);
        await e.idle();
        const ledgerAfterKill = e.ledger().length;
        const again = await runEngine("up", { cwd: PROJECT, stack: "dev", stateFile, config: CONFIG, env: emulatorEnv(e) });
        local = { emulator: e, again, ledgerAfterKill };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    afterAll(async () => {
      await local?.emulator.close();
    });

    it("warns as Pulumi does, converges with one charge, and takes the steps the CLI took", () => {
      expect(local.ledgerAfterKill).toBe(1);
      expect(local.again.ok, local.again.error).toBe(true);
      expect(local.again.diagnostics[0]).toContain(`${ORDER}, interrupted while creating`);
      expect(local.emulator.ledger()).toHaveLength(1);
      const steps = (s: Array<{ op: string; name: string }>) => s.map((x) => `${x.op} ${x.name}`).sort();
      expect(steps(local.again.steps)).toEqual(steps(again.steps));
      expect(local.again.outputs).toEqual(again.outputs);
    });
  });
});
