// A renewal's plan: the expiry the instance had the first time this renewal (this client token) was
// planned, written to state before the order may charge. It is the one fact that survives a crash
// between a charge and the state write even when ECS has forgotten the client token: the next run's
// order compares the expiry it reads with it (decision.ts, row 4). Reads only; never charges.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { checkContext, type ProviderContext } from "../context";
import { isUnknown } from "../unknowns";
import { checkRenewalPlan, familyOf, ID_KEYS, subscriptionIdOf, type RenewalIdentity } from "./schema";

export interface RenewalPlanOutputs extends RenewalIdentity {
  /** ExpiredTime when the renewal was first planned; "" when ECS did not know the instance then. */
  plannedFromExpiredTime: string;
  plannedAt: string;
}

const REPLACE_KEYS = [...ID_KEYS, "regionId", "clientToken"] as const;

export class RenewalPlanController {
  constructor(private readonly context: () => ProviderContext) {}

  private get ctx(): ProviderContext {
    return this.context();
  }

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    return checkRenewalPlan(olds ?? {}, news, checkContext(this.ctx));
  }

  /** A plan changes only by being replaced, together with its order; anything else keeps the recorded expiry. */
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
    const replaces = REPLACE_KEYS.filter((k) => isUnknown(news[k]) || olds[k] !== news[k]);
    return { changes: replaces.length > 0, replaces: [...replaces], deleteBeforeReplace: false };
  }

  async create(news: Record<string, unknown>): Promise<dynamic.CreateResult> {
    const inputs = news as unknown as RenewalIdentity;
    const info = await this.ctx.families[familyOf(inputs).kind].info(inputs.regionId, subscriptionIdOf(inputs));
    // An unknown instance is the order's to refuse, with the sentence that says what to do.
    const outs: RenewalPlanOutputs = { ...inputs, plannedFromExpiredTime: info?.expiredTime ?? "", plannedAt: this.ctx.now().toISOString() };
    return { id: `plan-${inputs.clientToken.slice(0, 16)}`, outs };
  }

  async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
    return { outs: { ...news, plannedFromExpiredTime: olds.plannedFromExpiredTime ?? "", plannedAt: olds.plannedAt } };
  }

  /** The recorded expiry is the point of a plan: refresh keeps it. */
  async read(id: string, props: Record<string, unknown> = {}): Promise<dynamic.ReadResult> {
    const inputs = Object.fromEntries(Object.entries(props).filter(([k]) => k !== "plannedFromExpiredTime" && k !== "plannedAt"));
    return { id, props, inputs };
  }

  async delete(): Promise<void> {
    // Nothing in ECS belongs to a plan.
  }
}
