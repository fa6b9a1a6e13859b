// When things go wrong: a check that refuses, a create or update that fails, a resource that exists but
// did not come up, a program that throws, a provider host that dies, protected resources. Whatever was
// done before the failure stays in the state file, written step by step.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ITEM, itemsStacks } from "./engine/fixtures/items-stack";
import type { Checkpoint } from "./engine";

const newStack = itemsStacks();

describe("failures", () => {
  it("a check failure stops the preview with the property and the reason; nothing after it is checked", async () => {
    const stack = newStack();
    const preview = await stack.run("preview", [
      { name: "a", size: 1 },
      { name: "b", size: 0 },
      { name: "c", size: 2 },
    ]);
    expect(preview.ok).toBe(false);
    expect(preview.error).toBe(`${ITEM} b: size: size must be a positive whole number, not 0`);
    expect(preview.text).toContain(`  +  ${ITEM}  b  create failed\n      + name: "b"\n      + size: 0\n      error: size: size must be a positive whole number, not 0`);
    expect(preview.text).toMatch(/\nerror: .*size must be a positive whole number, not 0\n$/);
    expect(stack.calls()).toEqual(["check a", "check b"]);
    expect(stack.state()).toBeUndefined();
  });

  it.each(["preview", "up"] as const)("%s: a check failure of a component's child ends the run, though the component waits on that child's outputs", async (op) => {
    const stack = newStack();
    const started = Date.now();
    const run = await stack.run(op, [{ name: "a", size: 1 }], { config: { "fixture:group": "true", "fixture:groupMemberSize": "0", "fixture:groupFollower": "true" } });
    expect(run.ok).toBe(false);
    expect(run.error).toBe(`${ITEM} group-member: size: size must be a positive whole number, not 0`);
    expect(run.text).toContain(`  +  ${ITEM}  group-member  create failed`);
    // The follower's input is the failed member's output: it is never registered, and nothing waits for it.
    expect(run.steps.map((s) => s.name)).not.toContain("group-follower");
    expect(Date.now() - started).toBeLessThan(20_000);
    // The engine stays usable: the next run of the same process is not held up by the abandoned program.
    const fixed = await stack.run(op, [{ name: "a", size: 1 }], { config: { "fixture:group": "true", "fixture:groupMemberSize": "2", "fixture:groupFollower": "true" } });
    expect(fixed.ok, fixed.error).toBe(true);
    expect(fixed.steps.map((s) => s.name)).toEqual(expect.arrayContaining(["group", "group-member", "group-follower"]));
  });

  it("a failed create fails the run with the provider's message; what completed before stays in state", async () => {
    const stack = newStack();
    const up = await stack.run("up", [
      { name: "a", size: 1 },
      { name: "b", size: 1, failCreate: "no capacity left in zone a", delayMs: 100 },
      { name: "c", size: 1, dependsOn: ["b"] },
    ]);
    expect(up.ok).toBe(false);
    expect(up.error).toBe(`${ITEM} b: no capacity left in zone a`);
    expect(up.text).toContain(`  +  ${ITEM}  b  create failed`);
    expect(up.text).toContain("      error: no capacity left in zone a");
    expect(stack.calls(["create"])).toEqual(["create a"]);
    expect(stack.state()!.resources.map((r) => r.name)).toEqual(["items-dev", "a"]);
    expect(stack.state()!.pendingOperations).toBeUndefined();
    // The next run picks up where this one stopped.
    const again = await stack.run("up", [{ name: "a", size: 1 }, { name: "b", size: 1 }, { name: "c", size: 1, dependsOn: ["b"] }]);
    expect(again.ok, again.error).toBe(true);
    expect(again.summary).toMatchObject({ create: 2, same: 2 });
  });

  it("the state file on disk holds each step as soon as it completes", async () => {
    const stack = newStack();
    const seen: string[][] = [];
    const up = await stack.run("up", [{ name: "a", size: 1 }, { name: "b", size: 1, dependsOn: ["a"], delayMs: 50 }, { name: "c", size: 1, dependsOn: ["b"], delayMs: 50 }], {
      onEvent: (event) => {
        if (event.type !== "step-done" || event.step.type !== ITEM) return;
        const onDisk = JSON.parse(fs.readFileSync(stack.stateFile, "utf8")) as Checkpoint;
        seen.push(onDisk.resources.filter((r) => r.custom).map((r) => r.name));
      },
    });
    expect(up.ok, up.error).toBe(true);
    expect(seen).toEqual([["a"], ["a", "b"], ["a", "b", "c"]]);
  });

  it("a resource created but not initialized keeps its id in state, and the next up updates it", async () => {
    const stack = newStack();
    const program = [{ name: "a", size: 1, initFail: true }];
    const up = await stack.run("up", program);
    expect(up.ok).toBe(false);
    expect(up.error).toBe(`${ITEM} a: a did not come up`);
    const kept = stack.resource("a")!;
    expect(kept).toMatchObject({ id: "item-1", initErrors: ["health check failed"], outputs: { serial: 1 } });
    expect(stack.cloud().items["item-1"]).toBeDefined();
    // Nothing changed in the program, yet Pulumi updates a resource that failed to initialize.
    const again = await stack.run("up", program);
    expect(again.ok, again.error).toBe(true);
    expect(stack.calls(["create", "update"])).toEqual(["create a", "update a"]);
    expect(stack.resource("a")?.initErrors).toBeUndefined();
  });

  it("a failed update keeps the old outputs", async () => {
    const stack = newStack();
    await stack.run("up", [{ name: "a", size: 1 }]);
    const up = await stack.run("up", [{ name: "a", size: 2, failUpdate: "size is locked" }]);
    expect(up.ok).toBe(false);
    expect(up.text).toContain(`  ~  ${ITEM}  a  update failed  [diff: +failUpdate~size]`);
    expect(stack.resource("a")).toMatchObject({ inputs: { size: 1 }, outputs: { size: 1 } });
  });

  it("a program that throws fails the run, and nothing it did not declare is deleted", async () => {
    const stack = newStack();
    await stack.run("up", [{ name: "a", size: 1 }]);
    const up = await stack.run("up", [], { config: { "fixture:throw": "the program broke" } });
    expect(up.ok).toBe(false);
    expect(up.error).toMatch(/^running program .*index\.ts failed: the program broke$/);
    expect(stack.calls(["delete"])).toEqual([]);
    expect(stack.resource("a")).toBeDefined();
  });

  it("a provider host that dies in the middle of a create fails the run with the signal; other steps keep their results", async () => {
    const stack = newStack();
    const up = await stack.run("up", [
      { name: "a", size: 1 },
      { name: "b", size: 1, dependsOn: ["a"], crash: true },
    ]);
    expect(up.ok).toBe(false);
    expect(up.error).toBe(`${ITEM} b: provider host died (signal SIGKILL) during create`);
    expect(stack.state()!.resources.map((r) => r.name)).toEqual(["items-dev", "a"]);
  });

  it("protect refuses the delete and keeps the resource; retainOnDelete forgets it without deleting it", async () => {
    const stack = newStack();
    await stack.run("up", [{ name: "kept", size: 1, protect: true }, { name: "retained", size: 1, retainOnDelete: true }]);
    const up = await stack.run("up", []);
    expect(up.ok).toBe(false);
    expect(up.error).toBe(`${ITEM} kept: resource "urn:pulumi:dev::items::${ITEM}::kept" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect 'urn:pulumi:dev::items::${ITEM}::kept'\``);
    expect(stack.calls(["delete"])).toEqual([]);
    expect(stack.resource("kept")).toBeDefined();
    expect(stack.resource("retained")).toBeUndefined();
    expect(Object.values(stack.cloud().items).map((i) => i.name).sort()).toEqual(["kept", "retained"]);
    // Dropping the option (an up that declares it unprotected) lets it go.
    await stack.run("up", [{ name: "kept", size: 1 }]);
    expect((await stack.run("destroy", [])).ok).toBe(true);
    expect(Object.values(stack.cloud().items).map((i) => i.name)).toEqual(["retained"]);
  });
});
