// Fault rules: what a test asks the emulator to do to calls (slow them, throttle, fail, drop the
// connection, or apply the change and then fail the answer). Rules are checked after authentication.
export type FaultKind = "latency" | "throttle" | "error" | "drop" | "apply-then-fail";

export interface FaultRule {
  /** An action name or "*". */
  action: string;
  kind: FaultKind;
  /** latency: added delay. */
  ms?: number;
  /** throttle: calls allowed per sliding second (per action); the rest get Throttling.User. */
  perSecond?: number;
  /** error / apply-then-fail: the code answered (default InternalError; "drop" for apply-then-fail drops). */
  code?: string;
  /** error / apply-then-fail: the HTTP status (default 503 for ServiceUnavailable, 400 for Throttling*, else 500). */
  status?: number;
  /** Probability 0..1 that a matching call is hit (default 1). */
  rate?: number;
  /** How many calls it hits, then it expires (default: forever). */
  times?: number;
  /** Only calls that name this instance. */
  instanceId?: string;
  /** apply-then-fail: drop the connection instead of answering. */
  drop?: boolean;
  /** throttle / Throttling* errors: x-acs-retry-after in ms (default: until the window frees a slot; 1000 for errors). */
  retryAfterMs?: number;
}

export interface FaultDecision {
  latencyMs: number;
  /** The first non-latency fault that decides the outcome, if any. */
  outcome?: FaultRule;
  /** For a throttle outcome: ms until the window has room again. */
  retryAfterMs?: number;
}

const KINDS: FaultKind[] = ["latency", "throttle", "error", "drop", "apply-then-fail"];

/** Checks a rule from a test or the admin API; a typo should fail loudly, not silently never match. */
export function validateRule(rule: FaultRule): FaultRule {
  if (!rule || typeof rule !== "object") throw new Error("a fault rule is an object");
  if (typeof rule.action !== "string" || !rule.action) throw new Error(`fault rule needs an action (a name or "*"): ${JSON.stringify(rule)}`);
  if (!KINDS.includes(rule.kind)) throw new Error(`fault rule kind must be one of ${KINDS.join(", ")}: ${JSON.stringify(rule)}`);
  if (rule.kind === "throttle" && !(Number.isFinite(rule.perSecond) && rule.perSecond! >= 0)) throw new Error(`a throttle rule needs perSecond >= 0: ${JSON.stringify(rule)}`);
  if (rule.kind === "latency" && !(Number.isFinite(rule.ms) && rule.ms! >= 0)) throw new Error(`a latency rule needs ms >= 0: ${JSON.stringify(rule)}`);
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new Error(`rate is a probability 0..1: ${JSON.stringify(rule)}`);
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1)) throw new Error(`times is a count >= 1: ${JSON.stringify(rule)}`);
  if (rule.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 400 && rule.status <= 599)) throw new Error(`status is an HTTP error status: ${JSON.stringify(rule)}`);
  return rule;
}

/** The status an error fault answers with when the rule gives none. */
export function defaultStatus(code: string): number {
  if (code === "ServiceUnavailable") return 503;
  if (code.includes("Throttling")) return 400;
  return 500;
}

export class FaultBook {
  private rules: Array<FaultRule & { remaining: number; seq: number }> = [];
  private readonly windows = new Map<string, number[]>();
  private seq = 0;

  constructor(private readonly random: () => number = Math.random) {}

  add(rule: FaultRule): void {
    validateRule(rule);
    this.rules.push({ ...rule, remaining: rule.times ?? Infinity, seq: ++this.seq });
  }

  clear(): void {
    this.rules = [];
    this.windows.clear();
  }

  /** The rules in force, with `times` showing what is left. */
  list(): FaultRule[] {
    return this.rules.map(({ remaining, seq: _seq, ...rule }) => ({ ...rule, ...(Number.isFinite(remaining) ? { times: remaining } : {}) }));
  }

  /** Decides what happens to one call; consumes `times` of the rules that hit. Latencies add up. */
  decide(action: string, instanceIds: string[]): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    const now = Date.now();
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.action !== "*" && rule.action !== action) continue;
      if (rule.instanceId && !instanceIds.includes(rule.instanceId)) continue;
      if (rule.kind === "throttle") {
        // A sliding one-second window per rule and action: calls within the limit pass and are counted.
        const key = `${rule.seq}|${action}`;
        const window = (this.windows.get(key) ?? []).filter((t) => now - t < 1000);
        this.windows.set(key, window);
        if (window.length < (rule.perSecond ?? 0)) {
          window.push(now);
          continue;
        }
        if (decision.outcome) continue;
        if ((rule.rate ?? 1) < 1 && this.random() >= (rule.rate ?? 1)) continue;
        decision.outcome = rule;
        decision.retryAfterMs = rule.retryAfterMs ?? (window.length ? Math.max(1, window[0] + 1000 - now) : 1000);
        rule.remaining--;
        continue;
      }
      if (rule.kind !== "latency" && decision.outcome) continue;
      if ((rule.rate ?? 1) < 1 && this.random() >= (rule.rate ?? 1)) continue;
      rule.remaining--;
      if (rule.kind === "latency") decision.latencyMs += rule.ms ?? 0;
      else decision.outcome = rule;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return decision;
  }
}
