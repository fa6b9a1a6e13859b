// The host client against the real dynamic-provider host of @pulumi/pulumi: each call as the Pulumi engine
// makes it, with a small provider written as the module text the host evaluates (what `__provider` holds).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostError, startProviderHost, UNKNOWN, type ProviderHost } from "./engine/host";

const CWD = path.join(__dirname, "engine", "fixtures", "items");

const PROVIDER = `exports.handler = () => ({
  async configure(req) {
    globalThis.seen = { region: req.config.get("cloud:region"), secret: req.config.get("cloud:secret"), missing: req.config.get("nothing") ?? null };
  },
  async check(olds, news) {
    const failures = news.size === -1 ? [{ property: "size", reason: "size must not be negative" }] : [];
    return { inputs: { ...news, previousSize: olds.size ?? null }, failures };
  },
  async diff(id, olds, news) {
    return { changes: olds.size !== news.size || olds.zone !== news.zone, replaces: olds.zone !== news.zone ? ["zone"] : [], deleteBeforeReplace: news.dbr === true };
  },
  async create(inputs) {
    if (inputs.mode === "fail") throw new Error("quota exceeded for size " + inputs.size);
    if (inputs.mode === "init") throw Object.assign(new Error("came up unhealthy"), { id: "x-init", properties: { ...inputs, health: "bad" }, reasons: ["probe failed", "port closed"] });
    if (inputs.mode === "hang") await new Promise(() => {});
    if (inputs.mode === "exit") process.exit(3);
    if (inputs.mode === "talk") { console.log("creating x-" + inputs.size); console.error("careful: x-" + inputs.size); }
    return { id: "x-" + inputs.size, outs: { ...inputs, config: globalThis.seen } };
  },
  async read(id, props) {
    return id === "x-gone" ? {} : { id, props: { ...props, seen: true }, inputs: { size: props.size } };
  },
  async update(id, olds, news) {
    return { outs: { ...news, previous: olds.size } };
  },
  async delete(id) {
    if (id === "x-stuck") throw new Error("cannot delete " + id + ": it is in use");
  },
});
`;
// A provider with no diff: the host answers DIFF_UNKNOWN and leaves the decision to the engine.
const NO_DIFF = `exports.handler = () => ({ async create(inputs) { return { id: "n-1", outs: inputs }; } });`;

const urn = (name: string) => `urn:pulumi:dev::items::pulumi-nodejs:dynamic:Resource::${name}`;
const withProvider = (props: Record<string, unknown>, provider = PROVIDER) => ({ __provider: provider, ...props });

let host: ProviderHost;
const output: string[] = [];

beforeAll(async () => {
  host = await startProviderHost({ cwd: CWD, onOutput: (stream, line) => output.push(`${stream}: ${line}`) });
  await host.configure({ "cloud:region": "eu-1", "cloud:secret": "s3cr3t" });
});
afterAll(async () => {
  await host?.kill();
});

describe("provider host client", () => {
  it("starts the host cold and hands the stack config to the provider's configure, secrets in plain form", async () => {
    expect(host.pid).toBeGreaterThan(0);
    const { id, properties } = await host.create(urn("a"), withProvider({ size: 1 }));
    expect(id).toBe("x-1");
    expect(properties.config).toEqual({ region: "eu-1", secret: "s3cr3t", missing: null });
    // The host keeps __provider in the outputs, so later calls can find the provider again.
    expect(properties.__provider).toBe(PROVIDER);
  });

  it("configure reports what the host accepts: no secrets, no provider-side previews", async () => {
    const other = await startProviderHost({ cwd: CWD });
    try {
      expect(await other.configure({})).toEqual({ acceptSecrets: false, acceptResources: false, supportsPreview: false });
    } finally {
      await other.kill();
    }
  });

  it("check returns the provider's inputs and its failures; an unknown input reaches it as the sentinel", async () => {
    const ok = await host.check(urn("a"), { size: 1 }, withProvider({ size: UNKNOWN }));
    expect(ok.failures).toEqual([]);
    expect(ok.inputs).toMatchObject({ size: UNKNOWN, previousSize: 1, __provider: PROVIDER });
    const bad = await host.check(urn("a"), {}, withProvider({ size: -1 }));
    expect(bad.failures).toEqual([{ property: "size", reason: "size must not be negative" }]);
  });

  it("diff forwards changes, replaces and deleteBeforeReplace (the dynamic host names no changed keys); without a diff method the answer is unknown", async () => {
    const olds = withProvider({ size: 1, zone: "a" });
    expect(await host.diff("x-1", urn("a"), olds, withProvider({ size: 1, zone: "a" }))).toEqual({ changes: "none", diffs: [], replaces: [], deleteBeforeReplace: false });
    expect(await host.diff("x-1", urn("a"), olds, withProvider({ size: 2, zone: "a" }))).toEqual({ changes: "some", diffs: [], replaces: [], deleteBeforeReplace: false });
    expect(await host.diff("x-1", urn("a"), olds, withProvider({ size: 1, zone: "b", dbr: true }))).toEqual({ changes: "some", diffs: [], replaces: ["zone"], deleteBeforeReplace: true });
    expect((await host.diff("n-1", urn("n"), withProvider({ v: 1 }, NO_DIFF), withProvider({ v: 2 }, NO_DIFF))).changes).toBe("unknown");
  });

  it("read returns properties and inputs, and an empty id for a resource that is gone; update and delete complete", async () => {
    const read = await host.read("x-1", urn("a"), withProvider({ size: 1 }), withProvider({ size: 1 }));
    expect(read).toMatchObject({ id: "x-1", properties: { size: 1, seen: true }, inputs: { size: 1, __provider: PROVIDER } });
    expect((await host.read("x-gone", urn("g"), withProvider({ size: 1 }))).id).toBe("");
    const { properties } = await host.update("x-1", urn("a"), withProvider({ size: 1 }), withProvider({ size: 5 }));
    expect(properties).toMatchObject({ size: 5, previous: 1, __provider: PROVIDER });
    await expect(host.delete("x-1", urn("a"), withProvider({ size: 5 }))).resolves.toBeUndefined();
  });

  it("provider errors become HostErrors carrying the provider's own message", async () => {
    const failed = await host.create(urn("f"), withProvider({ size: 2, mode: "fail" })).catch((e) => e);
    expect(failed).toBeInstanceOf(HostError);
    expect(failed.message).toBe("quota exceeded for size 2");
    expect(failed.initFailed).toBeUndefined();
    const stuck = await host.delete("x-stuck", urn("s"), withProvider({})).catch((e) => e);
    expect(stuck).toBeInstanceOf(HostError);
    expect(stuck.message).toBe("cannot delete x-stuck: it is in use");
  });

  it("a create that fails after the resource exists is decoded from ErrorResourceInitFailed: id, properties, reasons", async () => {
    const error = await host.create(urn("i"), withProvider({ size: 3, mode: "init" })).catch((e) => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error.message).toBe("came up unhealthy");
    expect(error.initFailed).toEqual({ id: "x-init", properties: { size: 3, mode: "init", health: "bad", __provider: PROVIDER }, reasons: ["probe failed", "port closed"] });
  });

  it("collects what the provider prints, and streams it as it comes", async () => {
    await host.create(urn("t"), withProvider({ size: 7, mode: "talk" }));
    // The answer and the output travel separately: the lines may arrive a moment after the answer.
    const arrived = () => output.includes("stdout: creating x-7") && output.includes("stderr: careful: x-7");
    for (let i = 0; i < 100 && !arrived(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(host.stdout).toContain("creating x-7");
    expect(host.stderr).toContain("careful: x-7");
    expect(output).toEqual(expect.arrayContaining(["stdout: creating x-7", "stderr: careful: x-7"]));
  });

  it("a host killed in the middle of a call fails that call, and every later one, naming the signal", async () => {
    const doomed = await startProviderHost({ cwd: CWD });
    await doomed.configure({});
    const hanging = doomed.create(urn("h"), withProvider({ size: 1, mode: "hang" })).catch((e) => e);
    await new Promise((r) => setTimeout(r, 300));
    process.kill(doomed.pid, "SIGKILL");
    const error = await hanging;
    expect(error).toBeInstanceOf(HostError);
    expect(error.message).toBe("provider host died (signal SIGKILL) during create");
    expect(error.exit).toBe("signal SIGKILL");
    await expect(doomed.read("x-1", urn("a"), withProvider({}))).rejects.toThrow("provider host died (signal SIGKILL) during read");
  });

  it("a provider that exits the host fails the call with the exit code", async () => {
    const doomed = await startProviderHost({ cwd: CWD });
    await doomed.configure({});
    await expect(doomed.create(urn("e"), withProvider({ size: 1, mode: "exit" }))).rejects.toThrow("provider host died (exit code 3) during create");
  });
});
