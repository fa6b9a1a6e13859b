// The auto-renew settings of a subscription, for every family: check / diff / create / read / update /
// delete. create, update and delete write with the family's write call (ModifyInstanceAutoRenewAttribute,
// ModifyDedicatedHostAutoRenewAttribute, UpdateClusterAutoRenew…); read uses its read call plus its
// describe call for expiry, charge type and status. InstanceRenewal, DedicatedHostRenewal,
// ReservedInstanceRenewal, ElasticityAssuranceRenewal and EmrClusterRenewal are this controller with a
// family description (provider/families/).

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { checkContext, type ProviderContext } from "../context";
import { definedOnly } from "../defined";
import { RenewalError } from "../ecs/errors";
import { AUTO_RENEW_MIN_REMAINING_MS, daysLeft, formatEcsTime, insideAutoRenewWindow, nextAutoRenewDeduction, parseEcsTime } from "../ecs/expiry";
import { sleep } from "../ecs/retry";
import type { BatchedSubscriptions } from "../families/batched";
import { capital, describeSettings, named, type DesiredSettings, type SettingsAttribute, type SubscriptionFamily, type SubscriptionInfo } from "../families/family";
import { keptInState } from "../init-failure";
import { isUnknown } from "../unknowns";
import { asSettingsInputs, checkSettings, storedInputs, type SettingsInputs } from "./schema";

/** The settings found at create; `onDelete: "restore"` puts them back. */
export interface PreviousSettings {
  renewalStatus: SettingsInputs["renewalStatus"];
  duration: number;
  periodUnit: SettingsInputs["periodUnit"];
  autoRenewWithEcs?: string;
}

const NOTHING_FOUND: PreviousSettings = { renewalStatus: "Normal", duration: 0, periodUnit: "Month" };

/** The settings the subscription should end up with for these inputs (extras only when declared). */
function desiredSettings(inputs: Pick<SettingsInputs, "renewalStatus" | "duration" | "periodUnit" | "autoRenewWithEcs">): DesiredSettings {
  const extras = inputs.autoRenewWithEcs !== undefined ? { autoRenewWithEcs: inputs.autoRenewWithEcs } : {};
  return inputs.renewalStatus === "AutoRenewal"
    ? { renewalStatus: "AutoRenewal", duration: inputs.duration, periodUnit: inputs.periodUnit, ...extras }
    : { renewalStatus: inputs.renewalStatus, ...extras };
}

function settingsMatch(attr: SettingsAttribute | undefined, want: DesiredSettings): boolean {
  if (!attr) return false;
  if (attr.renewalStatus !== want.renewalStatus) return false;
  if (want.autoRenewWithEcs !== undefined && attr.autoRenewWithEcs !== want.autoRenewWithEcs) return false;
  if (want.renewalStatus !== "AutoRenewal") return true;
  return attr.duration === want.duration && attr.periodUnit === want.periodUnit;
}

/** Meaningful difference between stored outputs and new inputs (duration only matters while auto-renewing). */
function settingsDiffer(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  if (olds.renewalStatus !== news.renewalStatus) return true;
  if (news.autoRenewWithEcs !== undefined && olds.autoRenewWithEcs !== news.autoRenewWithEcs) return true;
  if (news.renewalStatus !== "AutoRenewal") return false;
  return olds.duration !== news.duration || olds.periodUnit !== news.periodUnit;
}

const previousOf = (attr: SettingsAttribute | undefined): PreviousSettings =>
  attr ? definedOnly({ renewalStatus: attr.renewalStatus, duration: attr.duration, periodUnit: attr.periodUnit, autoRenewWithEcs: attr.autoRenewWithEcs }) : NOTHING_FOUND;

export class SettingsController {
  constructor(
    readonly family: SubscriptionFamily,
    private readonly context: () => ProviderContext,
  ) {}

  private get ctx(): ProviderContext {
    return this.context();
  }

  private get batched(): BatchedSubscriptions {
    return this.ctx.families[this.family.kind];
  }

  /** The charge type under the output name this family's state has always used. */
  private get chargeTypeKey(): string {
    return this.family.kind === "instance" ? "instanceChargeType" : "chargeType";
  }

  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    return checkSettings(this.family, news, checkContext(this.ctx));
  }

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
    const replaces = [this.family.idInput, "regionId"].filter((k) => isUnknown(news[k]) || olds[k] !== news[k]);
    const changes = replaces.length > 0 || settingsDiffer(olds, news) || olds.onDelete !== news.onDelete;
    // The old resource restores its subscription's settings on delete; doing that first keeps a replacement
    // pointing at the same subscription from having its new settings undone.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  }

  async create(news: Record<string, unknown>): Promise<dynamic.CreateResult> {
    const inputs = asSettingsInputs(this.family, news);
    const [info, attr] = await Promise.all([this.existing(inputs.regionId, inputs.id), this.batched.attribute(inputs.regionId, inputs.id)]);
    const outs = await this.apply(inputs, info, attr, previousOf(attr));
    return { id: inputs.id, outs };
  }

  async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
    const inputs = asSettingsInputs(this.family, news);
    const previous = olds.previous as PreviousSettings;
    if (!settingsDiffer(olds, news)) {
      // Only onDelete (or a duration that does not apply) changed: nothing to tell the API.
      return { outs: definedOnly({ ...olds, ...storedInputs(this.family, inputs) }) };
    }
    // The settings as last recorded stand in for a fresh read before the write: the read after it confirms
    // what the API has, and refresh is how drift gets into state. That keeps an update of N subscriptions
    // to one attribute read per batch of them.
    const info = await this.existing(inputs.regionId, inputs.id);
    const recorded = recordedAttribute(this.family, inputs.id, olds);
    return { outs: await this.apply(inputs, info, recorded, previous ?? recorded) };
  }

  async read(id: string, props: Record<string, unknown> = {}): Promise<dynamic.ReadResult> {
    const { family } = this;
    const regionId = (props.regionId as string | undefined) ?? this.ctx.settings.region;
    if (!regionId) {
      throw new RenewalError(`Cannot read ${family.resource} ${id}: no region is known. Set stack config alicloud:region (or ALIBABA_CLOUD_REGION_ID).`);
    }
    // `info` resolves undefined only when the API says the subscription is gone (see BatchedInstances.instance).
    const [info, attr] = await Promise.all([this.batched.info(regionId, id), this.batched.attribute(regionId, id)]);
    if (!info) {
      this.ctx.log.info(`${family.resource}: ${named(family, id)} no longer exists in ${regionId} (${goneEvidence(family)}); dropping it from the stack.`);
      return { id: "" };
    }
    const old = props[family.idInput] ? asSettingsInputs(family, props) : undefined;
    if (info.chargeType !== "PrePaid" && old) {
      // Converted to Pay-As-You-Go: it has no renewal settings to read. Keep what state says it asked for;
      // the warning in the outputs says to remove the resource.
      const previous = (props.previous as PreviousSettings | undefined) ?? NOTHING_FOUND;
      return { id, props: this.outputs(old, info, undefined, previous), inputs: storedInputs(family, old) };
    }
    const actual = previousOf(attr);
    // Inputs mirror what the API has, so a later preview shows drift as a diff against the program. Duration
    // and unit are taken from it only while auto-renewing; otherwise they mean nothing and would add noise.
    const auto = actual.renewalStatus === "AutoRenewal";
    const inputs: SettingsInputs = {
      id,
      regionId,
      renewalStatus: actual.renewalStatus,
      duration: auto ? actual.duration : old?.duration ?? 1,
      periodUnit: auto ? actual.periodUnit : old?.periodUnit ?? family.settings.units[0],
      onDelete: old?.onDelete ?? "restore",
      // An extra the program declared reads back as the API has it; one it left out stays out.
      ...(old?.autoRenewWithEcs !== undefined && actual.autoRenewWithEcs !== undefined ? { autoRenewWithEcs: actual.autoRenewWithEcs } : {}),
    };
    const previous = (props.previous as PreviousSettings | undefined) ?? actual;
    return { id, props: this.outputs(inputs, info, attr, previous), inputs: storedInputs(family, inputs) };
  }

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const { family } = this;
    const inputs = asSettingsInputs(family, props);
    if (this.ctx.claimed.has(`${inputs.regionId}/${inputs.id}`)) {
      this.ctx.log.info(`${family.resource}: ${named(family, id)} is now managed by another ${family.resource} written in this run; leaving its settings as they are.`);
      return;
    }
    const previous = props.previous as PreviousSettings | undefined;
    const target: DesiredSettings | undefined =
      inputs.onDelete === "restore" ? previous && desiredSettings(previous) : { renewalStatus: inputs.onDelete as DesiredSettings["renewalStatus"] };
    if (!target) return;
    const [info, attr] = await Promise.all([this.batched.info(inputs.regionId, id), this.batched.attribute(inputs.regionId, id)]);
    if (!info) {
      this.ctx.log.info(`${family.resource}: ${named(family, id)} no longer exists in ${inputs.regionId} (released); nothing to restore.`);
      return;
    }
    if (info.chargeType !== "PrePaid") {
      this.ctx.log.info(`${family.resource}: ${named(family, id)} is now Pay-As-You-Go; renewal settings no longer apply, nothing to restore.`);
      return;
    }
    if (settingsMatch(attr, target)) return;
    await this.batched.setAutoRenew(inputs.regionId, id, target);
    this.ctx.log.info(`${family.resource}: ${named(family, id)} set back to ${describeSettings(target)} (onDelete: ${inputs.onDelete}).`);
  }

  /** The subscription as its describe call shows it, or a refusal naming what to check. */
  private async existing(regionId: string, id: string): Promise<SubscriptionInfo> {
    const { family } = this;
    const info = await this.batched.info(regionId, id);
    if (!info) {
      throw new RenewalError(
        `${family.product} found no ${named(family, id)} in region ${regionId}. Check ${family.idInput} and regionId (or stack config alicloud:region); a released ${family.noun} cannot be renewed.`,
        { code: "NotFound", instanceIds: [id] },
      );
    }
    return info;
  }

  /** Refuses what the API would refuse (or what would surprise), with what to do instead. */
  private preflight(inputs: SettingsInputs, info: SubscriptionInfo, attr: SettingsAttribute | undefined): void {
    const { family } = this;
    const id = inputs.id;
    const it = capital(named(family, id));
    if (info.chargeType !== "PrePaid") {
      throw new RenewalError(
        `${it} is Pay-As-You-Go (${info.chargeType}): renewal settings apply only to subscription (PrePaid) ${family.noun}s. Remove this ${family.resource}, or convert the ${family.noun} to subscription first.`,
        { code: "ChargeTypeViolation", instanceIds: [id] },
      );
    }
    const active = family.settings.activeStatus;
    if (active && info.status !== active) {
      throw new RenewalError(
        `${it} is ${info.status}, and only an ${active} ${family.noun} may change its auto-renew settings (${family.settings.write}).${family.renewal ? ` Renew it first (a ManualRenewal with ${family.idInput}), then apply again.` : ""}`,
        { code: "IncorrectStatus", instanceIds: [id] },
      );
    }
    if (inputs.renewalStatus !== "AutoRenewal" || attr?.renewalStatus === "AutoRenewal") return;
    if (attr?.renewalStatus === "NotRenewal") {
      throw new RenewalError(
        `${it} is set to NotRenewal (expire without renewal), and Alibaba Cloud only allows auto-renewal after it is set back to Normal. If keeping it is intended, declare renewalStatus: "Normal", run pulumi up, then change it to "AutoRenewal".`,
        { code: "NotRenewal", instanceIds: [id] },
      );
    }
    const expiry = parseEcsTime(info.expiredTime);
    const now = this.ctx.now();
    if (expiry && expiry.getTime() - now.getTime() < AUTO_RENEW_MIN_REMAINING_MS) {
      const when = expiry.getTime() <= now.getTime() ? `expired at ${formatEcsTime(expiry)}` : `expires at ${formatEcsTime(expiry)}, within 24 hours`;
      throw new RenewalError(
        `${it} ${when}; Alibaba Cloud does not allow switching it to auto-renewal now. Renew it manually first (${family.renewal ? "a ManualRenewal resource, or the console" : "the console"}), then apply again.`,
        { code: "ExpiresTooSoon", instanceIds: [id] },
      );
    }
  }

  /** Writes the settings if needed, confirms them by reading back, and returns full outputs. */
  private async apply(inputs: SettingsInputs, info: SubscriptionInfo, attr: SettingsAttribute | undefined, previous: PreviousSettings): Promise<Record<string, unknown>> {
    this.preflight(inputs, info, attr);
    const want = desiredSettings(inputs);
    this.ctx.claimed.add(`${inputs.regionId}/${inputs.id}`);
    let confirmed = attr;
    if (!settingsMatch(attr, want)) {
      await this.batched.setAutoRenew(inputs.regionId, inputs.id, want);
      try {
        confirmed = await this.awaitSettings(inputs.regionId, inputs.id, want);
      } catch (error) {
        // The write went through: keep the resource in state so the next run reconciles it.
        throw keptInState(error as Error, inputs.id, this.outputs(inputs, info, attr, previous));
      }
    }
    return this.outputs(inputs, info, confirmed, previous);
  }

  /** The APIs are eventually consistent: poll, with a bound, until a read shows what we wrote. */
  private async awaitSettings(regionId: string, id: string, want: DesiredSettings): Promise<SettingsAttribute | undefined> {
    const deadline = Date.now() + this.ctx.consistencyTimeoutMs;
    let delay = 0;
    for (;;) {
      if (delay) await sleep(delay);
      const attr = await this.batched.attribute(regionId, id);
      if (settingsMatch(attr, want)) return attr;
      if (Date.now() + delay > deadline) {
        throw new RenewalError(
          `${this.family.product} accepted the new renewal settings for ${named(this.family, id)} (${describeSettings(want)}) but still reports ${attr ? describeSettings(attr) : "nothing"} after ${Math.round(this.ctx.consistencyTimeoutMs / 1000)} s. Run pulumi refresh, then pulumi up again.`,
          { instanceIds: [id] },
        );
      }
      delay = Math.min(2_000, Math.max(200, delay * 2));
    }
  }

  private outputs(inputs: SettingsInputs, info: SubscriptionInfo, attr: SettingsAttribute | undefined, previous: PreviousSettings): Record<string, unknown> {
    const { family } = this;
    const expiry = parseEcsTime(info.expiredTime);
    const now = this.ctx.now();
    const auto = attr?.renewalStatus === "AutoRenewal";
    const it = capital(named(family, inputs.id));
    const lead = family.settings.deductionLeadDays;
    let warning: string | undefined;
    if (info.chargeType !== "PrePaid") {
      warning = `${it} is now Pay-As-You-Go (${info.chargeType}): it no longer expires and has no renewal settings. Remove this ${family.resource}; deleting it changes nothing in ${family.product}.`;
      this.ctx.log.warn(warning);
    } else if (auto && expiry && lead !== undefined && insideAutoRenewWindow(expiry, now)) {
      warning = `${it} expires at ${formatEcsTime(expiry)} (${Math.max(0, daysLeft(expiry, now))} days left): auto-renew deducts from the ${lead}th day before expiry, so it may not renew in time. Renew it now with a ManualRenewal.`;
      this.ctx.log.warn(warning);
    }
    const next = auto && expiry && lead !== undefined ? nextAutoRenewDeduction(expiry, now) : undefined;
    return definedOnly({
      ...storedInputs(family, inputs),
      autoRenewEnabled: attr?.autoRenewEnabled ?? false,
      ...(family.settings.extras?.length ? { autoRenewWithEcs: attr?.autoRenewWithEcs ?? inputs.autoRenewWithEcs } : {}),
      expiredTime: info.expiredTime ?? "",
      [this.chargeTypeKey]: info.chargeType,
      status: info.status,
      nextAutoRenewDeduction: next?.toISOString(),
      previous,
      warning,
    });
  }
}

/** The auto-renew attribute as the last create, update or refresh recorded it in state. */
function recordedAttribute(family: SubscriptionFamily, id: string, olds: Record<string, unknown>): SettingsAttribute {
  const o = asSettingsInputs(family, olds);
  const withEcs = typeof olds.autoRenewWithEcs === "string" ? { autoRenewWithEcs: olds.autoRenewWithEcs } : {};
  return { id, ...(family.kind === "instance" ? { instanceId: id } : {}), renewalStatus: o.renewalStatus, duration: o.duration, periodUnit: o.periodUnit, autoRenewEnabled: o.renewalStatus === "AutoRenewal", ...withEcs };
}

/** What tells that a subscription is gone. */
function goneEvidence(family: SubscriptionFamily): string {
  return family.kind === "instance" ? "DescribeInstanceAttribute: InvalidInstanceId.NotFound" : `${family.settings.describe} does not know it`;
}
