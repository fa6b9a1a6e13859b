import { describe, expect, it } from "vitest";
import { Batcher } from "../provider/ecs/batcher";
import { RenewalError } from "../provider/ecs/errors";
import { Semaphore, withRetry } from "../provider/ecs/retry";
import { canonicalUnit, priceQuery } from "../provider/ecs/value-sets";

describe("Batcher", () => {
  it("coalesces concurrent callers into calls of at most maxBatch keys, each caller getting its own answer", async () => {
    const calls: string[][] = [];
    const batcher = new Batcher<string | undefined>(
      { maxBatch: 100, windowMs: 5 },
      async (_group, keys) => {
        calls.push(keys);
        return new Map(keys.filter((k) => k !== "i-missing").map((k) => [k, `attr-${k}`]));
      },
      () => undefined,
    );
    const ids = Array.from({ length: 250 }, (_, i) => `i-${i}`);
    const results = await Promise.all([...ids, "i-missing"].map((id) => batcher.submit("cn-hangzhou", id)));
    expect(calls.map((c) => c.length)).toEqual([100, 100, 51]);
    expect(results.slice(0, 3)).toEqual(["attr-i-0", "attr-i-1", "attr-i-2"]);
    expect(results.at(-1)).toBeUndefined();
  });

  it("waits out a stall in a stream of items instead of sending half-full batches, but answers a lone caller at once", async () => {
    const calls: number[] = [];
    const batcher = new Batcher<true>({ maxBatch: 100, windowMs: 20, streamWindowMs: 250, maxWaitMs: 2_000 }, async (_g, keys) => {
      calls.push(keys.length);
      return new Map(keys.map((k) => [k, true as const]));
    }, () => true);
    const started = Date.now();
    await batcher.submit("g", "i-alone");
    expect(Date.now() - started).toBeLessThan(200);
    // 130 at once make a stream (a full batch goes at once); the next five come 60 ms apart, three times
    // the idle window, and still join the batch of the 30 left over.
    const pending = Array.from({ length: 130 }, (_, i) => batcher.submit("g", `i-${i}`));
    for (let i = 130; i < 135; i++) {
      await new Promise((r) => setTimeout(r, 60));
      pending.push(batcher.submit("g", `i-${i}`));
    }
    await Promise.all(pending);
    expect(calls).toEqual([1, 100, 35]);
  });

  it("keeps groups apart (region, or region plus desired settings)", async () => {
    const calls: Array<[string, string[]]> = [];
    const batcher = new Batcher<true>({ maxBatch: 100, windowMs: 5 }, async (group, keys) => {
      calls.push([group, keys]);
      return new Map(keys.map((k) => [k, true as const]));
    }, () => true);
    await Promise.all([batcher.submit("a", "i-1"), batcher.submit("b", "i-2"), batcher.submit("a", "i-3")]);
    expect(calls.sort()).toEqual([["a", ["i-1", "i-3"]], ["b", ["i-2"]]]);
  });

  it("splits a batch that fails for one instance so the others still succeed", async () => {
    let apiCalls = 0;
    const batcher = new Batcher<true>({ maxBatch: 100, windowMs: 5 }, async (_g, keys) => {
      apiCalls++;
      if (keys.includes("i-bad")) throw new RenewalError("bad one", { code: "ChargeTypeViolation", instanceIds: ["i-bad"] });
      return new Map(keys.map((k) => [k, true as const]));
    }, () => true);
    const ids = [...Array.from({ length: 99 }, (_, i) => `i-${i}`), "i-bad"];
    const settled = await Promise.allSettled(ids.map((id) => batcher.submit("g", id)));
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(99);
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
    expect(failed).toHaveLength(1);
    expect(failed[0].reason.code).toBe("ChargeTypeViolation");
    // Bisection: about 2·log2(100) calls, not 100.
    expect(apiCalls).toBeLessThanOrEqual(16);
  });

  it("settles what a key's own failure means: a Pay-As-You-Go id isolated in a batch has no attribute, the rest their answers", async () => {
    const batcher = new Batcher<string | undefined>(
      { maxBatch: 100, windowMs: 5 },
      async (_g, keys) => {
        if (keys.includes("i-converted")) throw new RenewalError("Pay-As-You-Go instances do not support this operation.", { code: "ChargeTypeViolation" });
        return new Map(keys.map((k) => [k, `attr-${k}`]));
      },
      () => undefined,
      (_key, error) => ((error as RenewalError).code === "ChargeTypeViolation" ? { value: undefined } : undefined),
    );
    const ids = [...Array.from({ length: 99 }, (_, i) => `i-${i}`), "i-converted"];
    const results = await Promise.all(ids.map((id) => batcher.submit("g", id)));
    expect(results.filter((r) => r !== undefined)).toHaveLength(99);
    expect(results.at(-1)).toBeUndefined();
  });

  it("does not split call-wide failures such as permissions", async () => {
    let apiCalls = 0;
    const batcher = new Batcher<true>({ maxBatch: 100, windowMs: 5 }, async () => {
      apiCalls++;
      throw new RenewalError("denied", { code: "Forbidden.RAM" });
    }, () => true);
    const settled = await Promise.allSettled(["i-1", "i-2", "i-3", "i-4"].map((id) => batcher.submit("g", id)));
    expect(settled.every((s) => s.status === "rejected")).toBe(true);
    expect(apiCalls).toBe(1);
  });
});

describe("retry and concurrency", () => {
  it("retries only what the caller calls retryable, honouring the server's wait", async () => {
    const waits: number[] = [];
    let n = 0;
    const result = await withRetry(
      async () => {
        n++;
        if (n < 3) throw Object.assign(new Error("throttled"), { code: "Throttling.User", retryAfter: 700 });
        return "ok";
      },
      { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000, retryable: (e) => ({ retry: true, minDelayMs: (e as { retryAfter: number }).retryAfter }), sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe("ok");
    expect(waits).toEqual([700, 700]);
    await expect(withRetry(async () => { throw new Error("fatal"); }, { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, retryable: () => ({ retry: false }) })).rejects.toThrow("fatal");
  });

  it("the semaphore never runs more than its limit at once", async () => {
    const gate = new Semaphore(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        gate.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 2));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});

describe("Batcher timing", () => {
  it("keeps a batch open while items trickle in (one check at a time), up to maxWaitMs", async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<true>({ maxBatch: 100, windowMs: 20, maxWaitMs: 300 }, async (_g, keys) => {
      sizes.push(keys.length);
      return new Map(keys.map((k) => [k, true as const]));
    }, () => true);
    const done: Promise<true>[] = [];
    for (let i = 0; i < 60; i++) {
      done.push(batcher.submit("g", `i-${i}`));
      await new Promise((r) => setTimeout(r, 3));
    }
    await Promise.all(done);
    expect(sizes.length).toBeLessThanOrEqual(2);
  });
});

describe("what ECS can price, and units as ECS spells them", () => {
  it("asks DescribeRenewalPrice for 1–9 months as months and 12, 24, 36 as 1, 2, 3 years; nothing for 48, 60 or weeks", () => {
    expect(priceQuery({ period: 9, periodUnit: "Month" })).toEqual({ period: 9, priceUnit: "Month" });
    expect([12, 24, 36].map((period) => priceQuery({ period, periodUnit: "Month" }))).toEqual([1, 2, 3].map((period) => ({ period, priceUnit: "Year" })));
    expect([48, 60].map((period) => priceQuery({ period, periodUnit: "Month" }))).toEqual([undefined, undefined]);
    expect(priceQuery({ period: 2, periodUnit: "Week" })).toBeUndefined();
    expect(priceQuery({ expectedRenewDay: 5 })).toEqual({ expectedRenewDay: 5 });
  });

  it("reads units without regard to case", () => {
    expect(["week", "Week", "WEEK", "month", "Year"].map(canonicalUnit)).toEqual(["Week", "Week", "Week", "Month", "Year"]);
    expect(canonicalUnit("Day")).toBeUndefined();
  });
});
