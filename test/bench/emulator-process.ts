// The emulator in a process of its own for the benchmark (`npm run emulator`, driven through its admin API),
// so that neither engine shares its process, its CPU time or its memory with the emulator.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import type { CallRecord, FaultRule, FleetFile } from "../emulator";

const ROOT = path.resolve(__dirname, "..", "..");

export interface EmulatorProcess {
  url: string;
  addFault(rule: FaultRule): Promise<void>;
  clearCalls(): Promise<void>;
  calls(): Promise<CallRecord[]>;
  close(): Promise<void>;
}

export async function spawnEmulator(fleet: FleetFile): Promise<EmulatorProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-emulator-"));
  const fleetFile = path.join(dir, "fleet.json");
  fs.writeFileSync(fleetFile, JSON.stringify(fleet));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test", "emulator", "cli.ts"), "--port", "0", "--fleet", fleetFile, "--expiry-delay-ms", "0", "--quiet"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once("line", (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (m) resolve(m[1]);
      else reject(new Error(`the emulator printed "${line}"`));
    });
    void exited.then(() => reject(new Error("the emulator exited before listening")));
  });
  const admin = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${url}/_emulator/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } });
    if (!res.ok) throw new Error(`emulator ${method} ${route}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    addFault: async (rule) => void (await admin("POST", "faults", rule)),
    clearCalls: async () => void (await admin("DELETE", "calls")),
    calls: async () => (await admin("GET", "calls")) as CallRecord[],
    async close() {
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
