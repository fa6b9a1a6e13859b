// A stack of the items fixture through its life, as `pulumi` would run it: preview, up, up again, a
// change, a replacement, a removal, drift and refresh, destroy. The program runs under setMocks and every
// dynamic resource goes to the real dynamic-provider host. Each test brings its own stack to the point of
// its life it starts from, so the tests hold in any order.
import { describe, expect, it } from "vitest";
import { ITEM, itemsStacks, type ItemSpec, type ItemsStack } from "./engine/fixtures/items-stack";
import { UNKNOWN } from "./engine";

const newStack = itemsStacks();

const STACK_URN = "urn:pulumi:dev::items::pulumi:pulumi:Stack::items-dev";
const urn = (name: string) => `urn:pulumi:dev::items::${ITEM}::${name}`;
// b's size is a's serial, an output known only once a exists; c waits for b.
const PROGRAM: ItemSpec[] = [
  { name: "a", size: 1 },
  { name: "b", sizeFrom: "a" },
  { name: "c", size: 3, dependsOn: ["b"] },
];
// The program after a change of a's tag and c's size.
const CHANGED: ItemSpec[] = [{ name: "a", size: 1, tag: "blue" }, PROGRAM[1], { ...PROGRAM[2], size: 4 }];

/** A new stack after `up` of `program`. */
async function upStack(program: ItemSpec[] = PROGRAM): Promise<ItemsStack> {
  const stack = newStack();
  const up = await stack.run("up", program);
  expect(up.ok, up.error).toBe(true);
  return stack;
}

describe("a stack's life", () => {
  it("preview of a new stack plans creates, calls only Check (in registration order) and writes no state", async () => {
    const stack = newStack();
    const preview = await stack.run("preview", PROGRAM);
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.summary).toMatchObject({ create: 4, update: 0, delete: 0, replace: 0, same: 0 });
    expect(preview.text).toContain(`  +  ${ITEM}  a  create\n      + name: "a"\n      + size: 1\n      + zone: "a"`);
    // An input that depends on an output not known yet reaches Check as the unknown sentinel.
    expect(preview.text).toContain("      + size: output<string>");
    expect(preview.steps.find((s) => s.name === "b")?.new?.size).toBe(UNKNOWN);
    expect(preview.text).toMatch(/Resources:\n {4}\+ 4 to create\n$/);
    expect(stack.calls()).toEqual(["check a", "check b", "check c"]);
    // The program saw the outputs of resources still to be created as unknown.
    expect(preview.outputs?.serials).toEqual({ a: UNKNOWN, b: UNKNOWN, c: UNKNOWN });
    expect(stack.state()).toBeUndefined();
  });

  it("up creates them in dependency order and records each, with parent and dependencies, in the state file", async () => {
    const stack = newStack();
    const up = await stack.run("up", PROGRAM);
    expect(up.ok, up.error).toBe(true);
    expect(stack.calls(["create"])).toEqual(["create a", "create b", "create c"]);
    expect(up.text).toMatch(/Resources:\n {4}\+ 4 created\n$/);
    expect(up.outputs).toMatchObject({ serials: { a: 1, b: 2, c: 3 }, labels: { a: "dev-label" } });
    const state = stack.state()!;
    expect(state).toMatchObject({ version: 1, project: "items", stack: "dev" });
    expect(state.resources.map((r) => r.urn)).toEqual([STACK_URN, urn("a"), urn("b"), urn("c")]);
    expect(state.resources[0]).toMatchObject({ type: "pulumi:pulumi:Stack", custom: false, outputs: { serials: { a: 1, b: 2, c: 3 } } });
    expect(stack.resource("b")).toMatchObject({ id: "item-2", custom: true, parent: STACK_URN, dependencies: [urn("a")], inputs: { size: 1, zone: "a" }, outputs: { serial: 2, size: 1 } });
    expect(stack.resource("c")?.dependencies).toEqual([urn("b")]);
    expect(typeof stack.resource("a")?.inputs.__provider).toBe("string");
    expect(state.pendingOperations).toBeUndefined();
  });

  it("a second up changes nothing: Check and Diff only", async () => {
    const stack = await upStack();
    const before = stack.cloud().calls.length;
    const up = await stack.run("up", PROGRAM);
    expect(up.ok, up.error).toBe(true);
    expect(up.summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0, same: 4 });
    expect(up.text).toMatch(/Resources:\n {4}4 unchanged\n$/);
    expect(stack.calls(undefined, before).filter((c) => !/^(check|diff) /.test(c))).toEqual([]);
  });

  it("an input change previews as an update with property lines and changes nothing until up", async () => {
    const stack = await upStack();
    const changed = CHANGED;
    const before = stack.cloud().calls.length;
    const preview = await stack.run("preview", changed);
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.text).toContain(`  ~  ${ITEM}  a  update  [diff: +tag]\n      + tag: "blue"`);
    expect(preview.text).toContain(`  ~  ${ITEM}  c  update  [diff: ~size]\n      ~ size: 3 => 4`);
    // a's serial is computed: while a is planned for an update the program sees it unknown, so b, which
    // takes its size from it, shows a possible change too, as Pulumi previews providers without preview support.
    expect(preview.text).toContain(`  ~  ${ITEM}  b  update  [diff: ~size]\n      ~ size: 1 => output<string>`);
    expect(preview.text).toMatch(/Resources:\n {4}~ 3 to update\n {4}1 unchanged\n$/);
    expect(stack.calls(["create", "update", "delete"], before)).toEqual([]);
    expect(stack.resource("c")?.inputs.size).toBe(3);

    const up = await stack.run("up", changed);
    expect(up.ok, up.error).toBe(true);
    // Once applied, a's serial is what it was: b has nothing to do.
    expect(stack.calls(["update"], before).sort()).toEqual(["update a", "update c"]);
    expect(stack.resource("c")).toMatchObject({ inputs: { size: 4 }, outputs: { size: 4, serial: 3 } });
    expect(up.text).toMatch(/Resources:\n {4}~ 2 updated\n {4}2 unchanged\n$/);
  });

  it("a change that forces replacement creates the new one first and deletes the old one after the program", async () => {
    const stack = await upStack(CHANGED);
    const before = stack.cloud().calls.length;
    const program = [{ name: "a", size: 1, tag: "blue", zone: "b" }, PROGRAM[1], { ...PROGRAM[2], size: 4 }];
    const preview = await stack.run("preview", program);
    expect(preview.text).toContain(`  +- ${ITEM}  a  replace  [diff: ~zone]\n      +- zone: "a" => "b" (forces replacement)`);
    expect(preview.text).toContain("    +-1 to replace");
    const up = await stack.run("up", program);
    expect(up.ok, up.error).toBe(true);
    // b's size follows a's new serial: it is updated between the new a's create and the old a's delete.
    expect(stack.calls(["create", "update", "delete"], before)).toEqual(["create a", "update b", "delete a"]);
    expect(stack.cloud().items["item-1"]).toBeUndefined();
    expect(stack.resource("a")).toMatchObject({ id: "item-4", inputs: { zone: "b" } });
    expect(stack.state()!.resources.filter((r) => r.delete)).toEqual([]);
    expect(up.summary).toMatchObject({ replace: 1, update: 1 });
  });

  it("with deleteBeforeReplace the old one goes first", async () => {
    const stack = await upStack([{ ...CHANGED[0], zone: "b" }, CHANGED[1], CHANGED[2]]);
    const before = stack.cloud().calls.length;
    const program = [{ name: "a", size: 1, tag: "blue", zone: "c", deleteBeforeReplace: true }, PROGRAM[1], { ...PROGRAM[2], size: 4 }];
    const up = await stack.run("up", program);
    expect(up.ok, up.error).toBe(true);
    expect(stack.calls(["create", "delete"], before)).toEqual(["delete a", "create a"]);
  });

  it("resources the program no longer declares are deleted after it completes, dependents first", async () => {
    const stack = await upStack();
    const before = stack.cloud().calls.length;
    const up = await stack.run("up", [{ name: "d", size: 9 }]);
    expect(up.ok, up.error).toBe(true);
    expect(stack.calls(["create", "delete"], before)).toEqual(["create d", "delete c", "delete b", "delete a"]);
    expect(up.text).toContain(`  -  ${ITEM}  c  delete`);
    expect(up.text).toMatch(/Resources:\n {4}\+ 1 created\n {4}- 3 deleted\n {4}1 unchanged\n$/);
    expect(stack.state()!.resources.map((r) => r.name)).toEqual(["items-dev", "d"]);
  });

  it("refresh reads every resource, records drift in outputs and inputs, and forgets what is gone", async () => {
    const stack = await upStack([{ name: "d", size: 9 }, { name: "e", size: 2 }]);
    const d = stack.resource("d")!.id!;
    const e = stack.resource("e")!.id!;
    stack.tamper((cloud) => {
      cloud.items[d].size = 10;
      delete cloud.items[e];
    });
    const refresh = await stack.run("refresh", []);
    expect(refresh.ok, refresh.error).toBe(true);
    expect(stack.calls(["read"]).slice(-2).sort()).toEqual([`read ${d}`, `read ${e}`]);
    expect(refresh.text).toContain(`  ~  ${ITEM}  d  refresh  [diff: ~size]\n      ~ size: 9 => 10`);
    expect(refresh.text).toContain(`  -  ${ITEM}  e  delete`);
    expect(stack.resource("d")).toMatchObject({ inputs: { size: 10 }, outputs: { size: 10 } });
    // The inputs the provider's read returned replace the old ones; the stored provider stays with them.
    expect(typeof stack.resource("d")?.inputs.__provider).toBe("string");
    expect(stack.resource("e")).toBeUndefined();
    // The next preview shows the program putting the declared value back.
    const preview = await stack.run("preview", [{ name: "d", size: 9 }]);
    expect(preview.text).toContain("      ~ size: 10 => 9");
  });

  it("destroy deletes everything, dependents first, and leaves an empty state", async () => {
    const stack = newStack();
    expect((await stack.run("up", [{ name: "f", size: 1 }, { name: "g", size: 1, dependsOn: ["f"] }], { config: { "fixture:group": "true" } })).ok).toBe(true);
    const before = stack.cloud().calls.length;
    const destroy = await stack.run("destroy", []);
    expect(destroy.ok, destroy.error).toBe(true);
    const deletes = stack.calls(["delete"], before);
    expect(deletes.indexOf("delete g")).toBeLessThan(deletes.indexOf("delete f"));
    expect(deletes).toHaveLength(3); // f, g and the group's member
    const order = destroy.steps.map((s) => s.name);
    // Children before their parent, the stack last.
    expect(order.indexOf("group-member")).toBeLessThan(order.indexOf("group"));
    expect(order.at(-1)).toBe("items-dev");
    expect(stack.state()!.resources).toEqual([]);
    expect(stack.cloud().items).toEqual({});
    expect(destroy.text).toMatch(/Resources:\n {4}- 5 deleted\n$/);
    expect(destroy.outputs).toBeUndefined();
  });
});
