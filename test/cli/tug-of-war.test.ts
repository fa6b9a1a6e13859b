// The tug-of-war the example's ignoreChanges prevents, shown under the real CLI: a copy of examples/with-instance
// whose instance still manages renewalStatus. The plugin double models the bridged
// provider (defaults Normal and 1, read back on refresh, written with ModifyInstanceAutoRenewAttribute), so
// each `up --refresh` undoes the previous one: the instance sets Normal back, then the renewal sees that as
// drift and sets AutoRenewal again. examples/with-instance itself (with-instance.test.ts) changes nothing.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { example, bothEngines } from "./support";
import { settingsOf, writes, type ScenarioStep } from "./scenario";
import { scratchProject } from "./stack";

const IGNORED = '{ ignoreChanges: ["renewalStatus"] }';
const ROUNDS = 3;

let project: string | undefined;
/** examples/with-instance without the ignoreChanges on its instance. */
function withoutIgnoreChanges(): string {
  project = scratchProject(example("with-instance"), (dir) => {
    const file = path.join(dir, "index.ts");
    const source = fs.readFileSync(file, "utf8");
    if (!source.includes(IGNORED)) throw new Error(`examples/with-instance/index.ts no longer has ${IGNORED}: update this test`);
    fs.writeFileSync(file, source.replace(IGNORED, "{}"));
  });
  return project;
}
afterAll(() => {
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

const refreshes = Array.from({ length: ROUNDS }, (_, i) => `up --refresh #${i + 1}`);
const both = bothEngines(() => ({
  project: withoutIgnoreChanges(),
  now: new Date().toISOString(),
  steps: [
    { op: "up", label: "up" },
    ...refreshes.map((label): ScenarioStep => ({ op: "up", label, args: ["--refresh"] })),
    { op: "destroy", label: "destroy" },
  ],
}));
const at = (label: string) => both.cli.at(label);
const instanceId = () => at("up").run.outputs!.instanceId as string;
const changed = (label: string) => at(label).run.steps.filter((s) => s.op !== "same" && !s.refresh).map((s) => `${s.op} ${s.name} [${s.diffs.join(",")}]`);

describe("an alicloud.ecs.Instance that manages its renewal attributes next to an InstanceRenewal", () => {
  it("up: the renewal turns auto-renew on, as with the ignoreChanges", () => {
    expect(at("up").run.ok, at("up").run.stdout + at("up").run.stderr).toBe(true);
    expect(settingsOf(at("up").instances, instanceId())).toBe("AutoRenewal 1 Month");
  });

  it(`each of ${ROUNDS} up --refresh runs writes the auto-renew setting, and it flips each time`, () => {
    for (const label of refreshes) expect(at(label).run.ok, at(label).run.stdout + at(label).run.stderr).toBe(true);
    expect(refreshes.map((label) => writes(at(label).calls).map((c) => `${c.action} ${c.instanceIds.join(",")}`))).toEqual(
      refreshes.map(() => [`ModifyInstanceAutoRenewAttribute ${instanceId()}`]),
    );
    expect(refreshes.map((label) => settingsOf(at(label).instances, instanceId()))).toEqual(["Normal", "AutoRenewal 1 Month", "Normal"]);
  });

  it("the instance and the renewal take turns: the instance sets Normal back, the renewal undoes it on the next run", () => {
    expect(refreshes.map(changed)).toEqual([["update web [renewalStatus]"], ["update web-renewal [renewalStatus]"], ["update web [renewalStatus]"]]);
  });

  it("nothing in the output says the two fight: each run succeeds with no warning of its own", () => {
    for (const label of refreshes) {
      const warnings = at(label).run.diagnostics.filter((d) => /warning/i.test(d) && !d.includes("using pulumi-resource-alicloud from $PATH"));
      expect(warnings).toEqual([]);
    }
  });

  it("the local engine takes the same steps, with the same property diffs and outputs", () => {
    expect(both.local.transcripts).toEqual(both.cli.transcripts);
  });
});
