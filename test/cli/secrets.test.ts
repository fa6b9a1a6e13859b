// Secrets under the real CLI: a secret key set with `pulumi config set --secret`, and credentials that come
// only from the environment, never show in `pulumi stack export`, in what the CLI prints, or in what the
// providers log (their lines reach the CLI's output and its event log). A wrong secret fails with a sentence
// that does not repeat it either.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "../emulator";
import { emulatorEnv, EMULATOR_KEYS } from "./scenario";
import { CliStack, type CliResult } from "./stack";
import { ROOT, example } from "./support";

const SECRET = EMULATOR_KEYS.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
const WRONG = "wrong-secret-5f3a9c";

/** Everything a stack's runs left where a user or a log collector could read it. */
function everythingPrinted(stack: CliStack, results: CliResult[]): string {
  const logs = fs.readdirSync(path.join(stack.dir, "events")).map((f) => fs.readFileSync(path.join(stack.dir, "events", f), "utf8"));
  return [...results.flatMap((r) => [r.stdout, r.stderr]), ...logs].join("\n");
}

describe("secrets under the real CLI", () => {
  let emulator: Emulator;
  const stacks: CliStack[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
  });
  afterAll(async () => {
    await emulator?.close();
    for (const s of stacks) s.remove();
  });

  it("a secret key from `config set --secret` stays out of the checkpoint, the output and the provider logs", async () => {
    // The demo stack: its key pair is in stack config, the secret one set with --secret; no key in the environment.
    const env = { ...emulatorEnv(emulator), ALIBABA_CLOUD_ACCESS_KEY_ID: "", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "" };
    const stack = await CliStack.create(ROOT, { stack: "demo", env });
    stacks.push(stack);
    const stackFile = fs.readFileSync(path.join(stack.projectDir, "Pulumi.demo.yaml"), "utf8");
    expect(stackFile).toMatch(/alicloud:secretKey:\n\s+secure: v1:/);
    expect(stackFile).not.toContain(SECRET);

    emulator.clearCalls();
    const runs: CliResult[] = [];
    for (const op of ["preview", "up", "refresh", "up"] as const) {
      const r = await stack.run(op, { args: op === "preview" ? ["--diff"] : [] });
      expect(r.ok, r.stdout + r.stderr).toBe(true);
      runs.push(r);
    }
    runs.push(await stack.pulumi(["config", "--stack", "demo"]), await stack.pulumi(["stack", "output", "--stack", "demo"]));
    expect(new Set(emulator.calls().map((c) => c.accessKeyId))).toEqual(new Set(["LTAIemulator"]));
    expect(emulator.calls().every((c) => c.outcome === "ok")).toBe(true);

    const exported = JSON.stringify(await stack.export());
    expect(exported).toContain("InstanceRenewal");
    expect(exported).not.toContain(SECRET);
    expect(everythingPrinted(stack, runs)).not.toContain(SECRET);
    runs.push(await stack.run("destroy"));
    expect(everythingPrinted(stack, runs)).not.toContain(SECRET);
  });

  it("credentials from the environment alone stay out of the checkpoint and the output", async () => {
    const stack = await CliStack.create(example("auto-renew-existing"), { env: emulatorEnv(emulator) });
    stacks.push(stack);
    const runs = [await stack.run("up"), await stack.run("refresh")];
    for (const r of runs) expect(r.ok, r.stdout + r.stderr).toBe(true);
    expect(JSON.stringify(await stack.export({ showSecrets: true }))).not.toContain(SECRET);
    expect(everythingPrinted(stack, runs)).not.toContain(SECRET);
    runs.push(await stack.run("destroy"));
    expect(everythingPrinted(stack, runs)).not.toContain(SECRET);
  });

  it("a wrong secret key fails with a sentence that names the problem, not the secret", async () => {
    const stack = await CliStack.create(example("auto-renew-existing"), { env: { ...emulatorEnv(emulator), ALIBABA_CLOUD_ACCESS_KEY_ID: "", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "" } });
    stacks.push(stack);
    await stack.configSet("alicloud:accessKey", "LTAIemulator");
    await stack.configSet("alicloud:secretKey", WRONG, { secret: true });
    const up = await stack.run("up");
    expect(up.ok).toBe(false);
    expect(up.stdout).toContain("SignatureDoesNotMatch");
    expect(everythingPrinted(stack, [up])).not.toContain(WRONG);
    // The dynamic provider's default provider keeps the whole stack config as its inputs, the secret encrypted.
    const exported = JSON.stringify(await stack.export());
    expect(exported).toContain('"alicloud:secretKey":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":');
    expect(exported).not.toContain(WRONG);
  });
});
