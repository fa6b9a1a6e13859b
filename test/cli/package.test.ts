// Installed as users install it: `npm pack` of the package, installed into a scratch project outside the
// workspace next to a newer @pulumi/pulumi than the one we build against. The package asks for a range
// (^3.248.0), so npm shares the user's SDK instead of nesting a second copy under our package; the project
// then runs under the real CLI against the emulator, and its policy pack runs from where npm put it.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "../emulator";
import { useLanguageHostFront } from "../language-host";
import { emulatorEnv, settingsOf } from "./scenario";
import { CliStack } from "./stack";
import { ROOT } from "./support";

/** A release after the one the workspace pins (3.248.0). It declares Node 22, and runs on Node 20 all the same. */
const NEWER_PULUMI = "3.249.0";
const IDS = ["i-bp1demo000000000001", "i-bp1demo000000000002"];

const PROGRAM = `// A user's program: plain JavaScript, the package as npm installed it.
const pulumi = require("@pulumi/pulumi");
const { InstanceRenewal } = require("pulumi-alicloud-renewal");
const ids = new pulumi.Config().requireObject("instanceIds");
const renewals = ids.map((instanceId) => new InstanceRenewal("auto-renew-" + instanceId, { instanceId, duration: 3 }));
exports.expiries = renewals.map((r) => r.expiredTime);
`;

/** Every installed copy of @pulumi/pulumi under `dir`, as "path@version". */
function pulumiCopies(dir: string): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      const pkgDir = path.join(modules, entry);
      if (entry.startsWith("@")) {
        for (const inner of fs.readdirSync(pkgDir)) visit(path.join(pkgDir, inner), `${entry}/${inner}`);
      } else visit(pkgDir, entry);
    }
  };
  const visit = (pkgDir: string, name: string) => {
    if (name === "@pulumi/pulumi") found.push(`${path.relative(dir, pkgDir)}@${JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version}`);
    walk(path.join(pkgDir, "node_modules"));
  };
  walk(path.join(dir, "node_modules"));
  return found;
}

describe("the packed package in a user's project", () => {
  let scratch: string;
  let emulator: Emulator;
  let stack: CliStack;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "renewal-user-"));
    const packed = JSON.parse(execFileSync("npm", ["pack", "--workspace", "provider", "--pack-destination", scratch, "--json"], { cwd: ROOT, encoding: "utf8" })) as Array<{ filename: string }>;
    const tarball = path.join(scratch, packed[0].filename);
    const project = path.join(scratch, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, main: "index.js", dependencies: { "@pulumi/pulumi": NEWER_PULUMI, "pulumi-alicloud-renewal": `file:${tarball}` } }, null, 2));
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: user-project\nruntime:\n  name: nodejs\n");
    fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), `config:\n  alicloud:region: cn-hangzhou\n  user-project:instanceIds:\n${IDS.map((id) => `    - ${id}\n`).join("")}`);
    fs.writeFileSync(path.join(project, "index.js"), PROGRAM);
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel", "error"], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
    stack = await CliStack.create(project, { inPlace: true, env: emulatorEnv(emulator) });
  }, 600_000);
  afterAll(async () => {
    await emulator?.close();
    stack?.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("depends on @pulumi/pulumi by range, and npm installs one copy: the user's", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(scratch, "project", "node_modules", "pulumi-alicloud-renewal", "package.json"), "utf8"));
    expect(manifest.dependencies["@pulumi/pulumi"]).toBe("^3.248.0");
    expect(pulumiCopies(path.join(scratch, "project"))).toEqual([`node_modules/@pulumi/pulumi@${NEWER_PULUMI}`]);
  });

  it("runs under the real CLI: preview, up, destroy against the emulator", async () => {
    const preview = await stack.run("preview");
    expect(preview.ok, preview.stdout + preview.stderr).toBe(true);
    expect(preview.summary.create).toBe(3);
    const up = await stack.run("up");
    expect(up.ok, up.stdout + up.stderr).toBe(true);
    expect(IDS.map((id) => settingsOf(emulator.instances(), id))).toEqual(["AutoRenewal 3 Month", "AutoRenewal 3 Month"]);
    expect((up.outputs!.expiries as string[]).every((t) => /^\d{4}-\d\d-\d\dT/.test(t))).toBe(true);
    // What state holds is the shim that names the package, which resolves from the user's node_modules.
    const exported = JSON.stringify(await stack.export());
    expect(exported).toContain('require(\\"pulumi-alicloud-renewal/runtime\\")');
    expect(exported).not.toContain(ROOT);
    const destroy = await stack.run("destroy");
    expect(destroy.ok, destroy.stdout + destroy.stderr).toBe(true);
    expect(IDS.map((id) => settingsOf(emulator.instances(), id))).toEqual(["Normal", "Normal"]);
  });

  it("its policy pack runs from the installed package: pulumi preview --policy-pack node_modules/pulumi-alicloud-renewal/policy", async () => {
    // Through the language-host front (test/language-host/README.md), for this one preview.
    const projectFile = path.join(stack.projectDir, "Pulumi.yaml");
    const original = fs.readFileSync(projectFile, "utf8");
    useLanguageHostFront(stack.projectDir);
    try {
      const run = await stack.run("preview", { args: ["--policy-pack", "node_modules/pulumi-alicloud-renewal/policy"] });
      expect(run.ok, run.stdout + run.stderr).toBe(true);
      expect(run.stdout).toMatch(/alicloud-renewal@v\d+\.\d+\.\d+ \(local: node_modules\/pulumi-alicloud-renewal\/policy\)/);
      expect(run.stdout).not.toMatch(/^\s*- \[(advisory|mandatory)\]/m);
    } finally {
      fs.writeFileSync(projectFile, original);
    }
  });
});
