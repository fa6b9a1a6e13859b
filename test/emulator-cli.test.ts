// The emulator's command line (what `npm run emulator` runs): its first line, its keys and fleet, one log
// line per call, a clean exit on SIGTERM/SIGINT, and usage errors.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import * as $Ecs from "@alicloud/ecs20140526";
import { afterAll, describe, expect, it } from "vitest";
import { ecsClient, sdkFailure } from "./emulator/sdk";

const CLI = path.join(__dirname, "emulator", "cli.ts");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-cli-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]) {
  // tsx as a loader, not its CLI: the CLI is a second process that relays signals, and under load its relay
  // can give up and exit 143 before the emulator has answered SIGTERM itself.
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once("line", resolve);
    child.on("exit", (code) => reject(new Error(`exited ${code} before printing: ${stderr}`)));
  });
  return { child, firstLine, exited, stderr: () => stderr };
}

describe("npm run emulator", () => {
  it("prints its address first, serves the fleet to the SDK with its keys, logs each call, and exits 0 on SIGTERM", async () => {
    const fleet = path.join(dir, "fleet.json");
    fs.writeFileSync(fleet, JSON.stringify({ balance: 50, instances: [{ instanceId: "i-cli00001", expiresInDays: 12, monthlyPrice: 80 }] }));
    const run = start(["--port", "0", "--fleet", fleet, "--access-key-id", "LTAIcli", "--access-key-secret", "cli-secret", "--read-only-key", "LTAIro:ro:secret", "--sts-key", "STS.cli:sts-secret:tok"]);
    const m = /^ECS emulator listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(await run.firstLine);
    expect(m).not.toBeNull();
    const endpoint = `127.0.0.1:${m![1]}`;
    const body = (await ecsClient(endpoint, { accessKeyId: "LTAIcli", accessKeySecret: "cli-secret" }).describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" }))).body!;
    expect(body.instances!.instance!.map((i) => i.instanceId)).toEqual(["i-cli00001"]);
    await expect(ecsClient(endpoint, { accessKeyId: "STS.cli", accessKeySecret: "sts-secret", securityToken: "tok" }).describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" }))).resolves.toBeDefined();
    // The secret after the first colon is taken whole.
    const ro = ecsClient(endpoint, { accessKeyId: "LTAIro", accessKeySecret: "ro:secret" });
    expect(await sdkFailure(ro.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-cli00001", period: 1 })))).toMatchObject({ code: "Forbidden.RAM" });
    // The default key is not configured when another is given.
    expect(await sdkFailure(ecsClient(endpoint).describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" })))).toMatchObject({ code: "InvalidAccessKeyId.NotFound" });
    // The fleet's balance (50) is below the price (80).
    const poor = await sdkFailure(ecsClient(endpoint, { accessKeyId: "LTAIcli", accessKeySecret: "cli-secret" }).renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-cli00001", period: 1 })));
    expect(poor).toMatchObject({ code: "InvalidAccountStatus.NotEnoughBalance" });
    const admin = (await (await fetch(`http://${endpoint}/_emulator/calls`)).json()) as unknown[];
    expect(admin).toHaveLength(5);
    await new Promise((r) => setTimeout(r, 50));
    const lines = run.stderr().trim().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/DescribeInstances\s+→ ok/);
    expect(lines[2]).toMatch(/RenewInstance i-cli00001 → Forbidden\.RAM 403/);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  it("defaults to the demo fleet and key; --quiet logs nothing; SIGINT exits 0", async () => {
    const run = start(["--port", "0", "--quiet"]);
    const port = /:(\d+)$/.exec(await run.firstLine)![1];
    const body = (await ecsClient(`127.0.0.1:${port}`).describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou", maxResults: 100 }))).body!;
    expect(body.instances!.instance!.map((i) => i.instanceId)).toContain("i-bp1demo000000000001");
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toBe("");
  });

  it("a wrong command line exits 2 with the usage; a bad fleet exits 1 naming the problem", async () => {
    const usage = start(["--port", "0", "--read-only-key", "no-colon"]);
    await expect(usage.firstLine).rejects.toThrow();
    expect(await usage.exited).toBe(2);
    expect(usage.stderr()).toMatch(/--read-only-key takes ID:SECRET[\s\S]*usage: npm run emulator/);
    const fleet = path.join(dir, "bad.json");
    fs.writeFileSync(fleet, JSON.stringify({ instances: [{ instanceId: "vm-1" }] }));
    const bad = start(["--port", "0", "--fleet", fleet]);
    await expect(bad.firstLine).rejects.toThrow();
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain('"vm-1"');
  });
});
