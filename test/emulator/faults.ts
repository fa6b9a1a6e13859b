// Fault rules: what a test asks the emulator to do to calls (slow them, throttle, fail, drop the
// connection, or apply the change and then fail the answer).
export type FaultKind = "latency" | "throttle" | "error" | "drop" | "apply-then-fail";

export interface FaultRule {
  /** An action name or "*". */
  action: string;
  kind: FaultKind;
  ms?: number;
  perSecond?: number;
  code?: string;
  status?: number;
  /** Probability 0..1 that a matching call is hit (default 1). */
  rate?: number;
  /** How many calls it hits, then it expires (default: forever). */
  times?: number;
  /** Only calls that involve this instance. */
  instanceId?: string;
  /** apply-then-fail: drop the connection instead of answering 500. */
  drop?: boolean;
}

export interface FaultDecision {
  latencyMs: number;
  /** The first fault that decides the outcome, if any. */
  outcome?: FaultRule;
}

export class FaultBook {
  private rules: Array<FaultRule & { remaining: number }> = [];
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly random: () => number = Math.random) {}

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
    this.windows.clear();
  }

  list(): FaultRule[] {
    return this.rules.map(({ remaining, ...rule }) => ({ ...rule, ...(Number.isFinite(remaining) ? { times: remaining } : {}) }));
  }

  /** Decides what happens to one call; consumes `times` of the rules that hit. */
  decide(action: string, instanceIds: string[]): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    const now = Date.now();
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.action !== "*" && rule.action !== action) continue;
      if (rule.instanceId && !instanceIds.includes(rule.instanceId)) continue;
      if (rule.kind === "throttle") {
        // A sliding one-second window per action; only the calls over the limit are throttled.
        const key = `${rule.action}|${action}`;
        const window = (this.windows.get(key) ?? []).filter((t) => now - t < 1000);
        const limit = rule.perSecond ?? 0;
        if (window.length < limit) {
          window.push(now);
          this.windows.set(key, window);
          continue;
        }
        this.windows.set(key, window);
      }
      if ((rule.rate ?? 1) < 1 && this.random() >= (rule.rate ?? 1)) continue;
      if (rule.kind === "latency") {
        decision.latencyMs += rule.ms ?? 0;
        rule.remaining--;
        continue;
      }
      if (decision.outcome) continue;
      decision.outcome = rule;
      rule.remaining--;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return decision;
  }
}
