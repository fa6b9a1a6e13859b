// What a program can ask of the engine beyond plain resources: --parallel, components and their children,
// Resource.get, secrets, ignoreChanges, stack config for the provider, and custom resources of other
// providers through registered handlers.
import os from "node:os";
import { describe, expect, it } from "vitest";
import { ITEM, itemsStacks } from "./engine/fixtures/items-stack";
import { defaultParallel, registerResourceHandler, unregisterResourceHandler, type ResourceHandler } from "./engine";

const newStack = itemsStacks();

const four = (delayMs: number) => ["a", "b", "c", "d"].map((name) => ({ name, size: 1, delayMs }));

describe("engine options", () => {
  it("--parallel bounds how many provider operations run at once; by default 4 × the CPUs, as the CLI", async () => {
    const bounded = newStack();
    expect((await bounded.run("up", four(500), { parallel: 2 })).ok).toBe(true);
    expect(bounded.cloud().maxActive).toBe(2);
    // Checks go one at a time before the creates start: the creates last long enough to all overlap.
    const free = newStack();
    expect((await free.run("up", four(1500))).ok).toBe(true);
    expect(free.cloud().maxActive).toBe(4);
    expect(defaultParallel({})).toBe(4 * os.availableParallelism());
    expect(defaultParallel({ PULUMI_PARALLEL: "64" })).toBe(64);
  });

  it("a component is recorded as such, with its outputs, and its child's URN carries the parent's type", async () => {
    const stack = newStack();
    const up = await stack.run("up", [], { config: { "fixture:group": "true" } });
    expect(up.ok, up.error).toBe(true);
    expect(up.text).toContain("  +  fixture:index:Group  group  create");
    const group = stack.resource("group")!;
    expect(group).toMatchObject({ custom: false, urn: "urn:pulumi:dev::items::fixture:index:Group::group", parent: "urn:pulumi:dev::items::pulumi:pulumi:Stack::items-dev", outputs: { size: 1 } });
    expect(group.id).toBeUndefined();
    expect(stack.resource("group-member")).toMatchObject({ custom: true, parent: group.urn, urn: `urn:pulumi:dev::items::fixture:index:Group$${ITEM}::group-member` });
    expect(up.outputs?.extras).toEqual({ groupSize: 1 });
  });

  it("Resource.get reads an existing resource during preview and up, records it as external, and never deletes it", async () => {
    const stack = newStack();
    await stack.run("up", [{ name: "x", size: 5 }]);
    const id = stack.resource("x")!.id!;
    const program = [{ name: "x", size: 5 }, { name: "adopted", get: id }];
    const preview = await stack.run("preview", program);
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.text).toContain(`  >  ${ITEM}  adopted  read`);
    const up = await stack.run("up", program);
    expect(up.ok, up.error).toBe(true);
    expect(stack.resource("adopted")).toMatchObject({ id, external: true, outputs: { size: 5, serial: 1 } });
    expect(up.outputs?.serials).toEqual({ x: 1, adopted: 1 });
    expect((await stack.run("destroy", [])).ok).toBe(true);
    expect(stack.calls(["delete"])).toEqual(["delete x"]);
    const missing = await stack.run("up", [{ name: "ghost", get: "item-404" }]);
    expect(missing.error).toBe(`${ITEM} ghost: resource 'item-404' does not exist`);
  });

  it("the provider's configure gets the stack config (project defaults, stack file, --config), secrets in plain form", async () => {
    const stack = newStack();
    const up = await stack.run("up", [{ name: "a", size: 1, withToken: true }], { config: { "fixture:label": "from-the-command-line" } });
    expect(up.ok, up.error).toBe(true);
    // An unqualified key resolves against the host's project name, which the host does not know.
    expect(stack.cloud().configured).toEqual([{ label: "from-the-command-line", token: "plain-token-for-tests", projectLabel: "from-project-yaml", unqualified: null }]);
    expect(up.outputs?.labels).toEqual({ a: "from-the-command-line" });
    // The secret input reached the provider in plain form; the program sees the output as a secret again.
    expect(Object.values(stack.cloud().items)[0].token).toBe("plain-token-for-tests");
    expect(up.outputs?.tokenSecret).toEqual({ a: true });
  });

  it("ignoreChanges keeps the old value of a property: no diff, no update", async () => {
    const stack = newStack();
    await stack.run("up", [{ name: "a", size: 1, tag: "x", ignoreChanges: ["tag"] }]);
    const up = await stack.run("up", [{ name: "a", size: 1, tag: "y", ignoreChanges: ["tag"] }]);
    expect(up.summary).toMatchObject({ update: 0, same: 2 });
    expect(stack.calls(["update"])).toEqual([]);
    expect(stack.resource("a")?.inputs.tag).toBe("x");
  });

  it("two resources with one URN fail the run", async () => {
    const stack = newStack();
    const up = await stack.run("up", [
      { name: "twin", size: 1 },
      { name: "twin", size: 2 },
    ]);
    expect(up.ok).toBe(false);
    expect(up.error).toContain(`duplicate resource URN urn:pulumi:dev::items::${ITEM}::twin`);
  });

  it("other custom resources go to the handler registered for their type; types without one keep their inputs", async () => {
    const calls: string[] = [];
    const handler: ResourceHandler = {
      async create(inputs) {
        calls.push(`create ${inputs.color}`);
        return { id: "plain-1", outputs: { ...inputs, shade: `dark ${inputs.color}` } };
      },
      async update(id, _olds, news) {
        calls.push(`update ${id} ${news.color}`);
        return { ...news, shade: `dark ${news.color}` };
      },
      async delete(id) {
        calls.push(`delete ${id}`);
      },
    };
    registerResourceHandler("fixture:index:Plain", handler);
    try {
      const stack = newStack();
      const up = await stack.run("up", [], { config: { "fixture:plainColor": "red" } });
      expect(up.ok, up.error).toBe(true);
      expect(up.outputs?.extras).toEqual({ plainShade: "dark red" });
      expect(stack.resource("plain")).toMatchObject({ id: "plain-1", outputs: { shade: "dark red" } });
      const unhandled = stack.resource("unhandled")!;
      expect(unhandled.id).toMatch(/^unhandled-/);
      expect(unhandled.outputs).toEqual({ color: "dark red" });
      expect(unhandled.dependencies).toEqual(["urn:pulumi:dev::items::fixture:index:Plain::plain"]);

      const preview = await stack.run("preview", [], { config: { "fixture:plainColor": "blue" } });
      expect(preview.text).toContain('  ~  fixture:index:Plain  plain  update  [diff: ~color]\n      ~ color: "red" => "blue"');
      await stack.run("up", [], { config: { "fixture:plainColor": "blue" } });
      expect((await stack.run("destroy", [])).ok).toBe(true);
      expect(calls).toEqual(["create red", "update plain-1 blue", "delete plain-1"]);
    } finally {
      unregisterResourceHandler("fixture:index:Plain");
    }
  });
});
