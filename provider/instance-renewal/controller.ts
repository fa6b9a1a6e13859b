// InstanceRenewal's behaviour: check / diff / create / read / update / delete.
// create, update and delete write with ModifyInstanceAutoRenewAttribute; read uses
// DescribeInstanceAutoRenewAttribute plus DescribeInstances for expiry, charge type and status.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { checkContext, type ProviderContext } from "../context";
import { definedOnly } from "../defined";
import type { AutoRenewSettings, InstanceInfo, RenewAttribute } from "../ecs/client";
import { RenewalError } from "../ecs/errors";
import { AUTO_RENEW_MIN_REMAINING_MS, daysLeft, formatEcsTime, insideAutoRenewWindow, nextAutoRenewDeduction, parseEcsTime } from "../ecs/expiry";
import { sleep } from "../ecs/retry";
import { keptInState } from "../init-failure";
import { isUnknown } from "../unknowns";
import { asInputs, checkInstanceRenewal, type InstanceRenewalInputs } from "./schema";

export interface PreviousSettings {
  renewalStatus: InstanceRenewalInputs["renewalStatus"];
  duration: number;
  periodUnit: InstanceRenewalInputs["periodUnit"];
}

export interface InstanceRenewalOutputs extends InstanceRenewalInputs {
  autoRenewEnabled: boolean;
  expiredTime: string;
  instanceChargeType: string;
  status: string;
  /** ISO time of the next auto-renew deduction attempt; absent unless auto-renewing in time. */
  nextAutoRenewDeduction?: string;
  /** The settings found at create; `onDelete: "restore"` puts them back. */
  previous: PreviousSettings;
  /** Set when auto-renew alone may not save the instance. */
  warning?: string;
}

const REPLACE_KEYS = ["instanceId", "regionId"] as const;

/** The settings ECS should end up with for these inputs. */
function desiredSettings(inputs: Pick<InstanceRenewalInputs, "renewalStatus" | "duration" | "periodUnit">): AutoRenewSettings {
  return inputs.renewalStatus === "AutoRenewal"
    ? { renewalStatus: "AutoRenewal", duration: inputs.duration, periodUnit: inputs.periodUnit }
    : { renewalStatus: inputs.renewalStatus };
}

function settingsMatch(attr: RenewAttribute | undefined, want: AutoRenewSettings): boolean {
  if (!attr) return false;
  if (attr.renewalStatus !== want.renewalStatus) return false;
  if (want.renewalStatus !== "AutoRenewal") return true;
  return attr.duration === want.duration && attr.periodUnit === want.periodUnit;
}

/** Meaningful difference between stored outputs and new inputs (duration only matters while auto-renewing). */
function settingsDiffer(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  if (olds.renewalStatus !== news.renewalStatus) return true;
  if (news.renewalStatus !== "AutoRenewal") return false;
  return olds.duration !== news.duration || olds.periodUnit !== news.periodUnit;
}

export class InstanceRenewalController {
  constructor(private readonly context: () => ProviderContext) {}

  private get ctx(): ProviderContext {
    return this.context();
  }

  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    return checkInstanceRenewal(news, checkContext(this.ctx));
  }

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
    const replaces = REPLACE_KEYS.filter((k) => isUnknown(news[k]) || olds[k] !== news[k]);
    const changes = replaces.length > 0 || settingsDiffer(olds, news) || olds.onDelete !== news.onDelete;
    // The old resource restores its instance's settings on delete; doing that first keeps a replacement
    // pointing at the same instance from having its new settings undone.
    return { changes, replaces: [...replaces], deleteBeforeReplace: replaces.length > 0 };
  }

  async create(news: Record<string, unknown>): Promise<dynamic.CreateResult> {
    const inputs = asInputs(news);
    const { info, attr } = await this.lookup(inputs.regionId, inputs.instanceId);
    const previous: PreviousSettings = attr
      ? { renewalStatus: attr.renewalStatus, duration: attr.duration, periodUnit: attr.periodUnit }
      : { renewalStatus: "Normal", duration: 0, periodUnit: "Month" };
    const outs = await this.apply(inputs, info, attr, previous);
    return { id: inputs.instanceId, outs };
  }

  async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
    const inputs = asInputs(news);
    const previous = olds.previous as PreviousSettings;
    if (!settingsDiffer(olds, news)) {
      // Only onDelete (or a duration that does not apply) changed: nothing to tell ECS.
      return { outs: definedOnly({ ...olds, ...inputs }) };
    }
    // The settings as last recorded stand in for a fresh read before the write: the read after it confirms
    // what ECS has, and refresh is how drift gets into state. That keeps an update of N instances to one
    // attribute read per 100 of them.
    const info = await this.instanceInfo(inputs.regionId, inputs.instanceId);
    const recorded = recordedAttribute(inputs.instanceId, olds);
    return { outs: await this.apply(inputs, info, recorded, previous ?? recorded) };
  }

  async read(id: string, props: Record<string, unknown> = {}): Promise<dynamic.ReadResult> {
    const regionId = (props.regionId as string | undefined) ?? this.ctx.settings.region;
    if (!regionId) {
      throw new RenewalError(`Cannot read InstanceRenewal ${id}: no region is known. Set stack config alicloud:region (or ALIBABA_CLOUD_REGION_ID).`);
    }
    // `instance` resolves undefined only when ECS says the instance is gone (see BatchedInstances.instance).
    const [info, attr] = await Promise.all([this.ctx.instances.instance(regionId, id), this.ctx.instances.renewAttribute(regionId, id)]);
    if (!info) {
      this.ctx.log.info(`InstanceRenewal: instance ${id} no longer exists in ${regionId} (DescribeInstanceAttribute: InvalidInstanceId.NotFound); dropping it from the stack.`);
      return { id: "" };
    }
    const old = props.instanceId ? asInputs(props) : undefined;
    if (info.instanceChargeType !== "PrePaid" && old) {
      // Converted to Pay-As-You-Go: it has no renewal settings to read. Keep what state says it asked for;
      // the warning in the outputs says to remove the resource.
      const previous = (props.previous as PreviousSettings | undefined) ?? { renewalStatus: "Normal", duration: 0, periodUnit: "Month" };
      return { id, props: this.outputs(old, info, undefined, previous), inputs: { ...old } };
    }
    const actual: PreviousSettings = attr
      ? { renewalStatus: attr.renewalStatus, duration: attr.duration, periodUnit: attr.periodUnit }
      : { renewalStatus: "Normal", duration: 0, periodUnit: "Month" };
    // Inputs mirror what ECS has, so a later preview shows drift as a diff against the program. Duration and
    // unit are taken from ECS only while auto-renewing; otherwise they mean nothing and would only add noise.
    const inputs: InstanceRenewalInputs = {
      instanceId: id,
      regionId,
      renewalStatus: actual.renewalStatus,
      duration: actual.renewalStatus === "AutoRenewal" ? actual.duration : old?.duration ?? 1,
      periodUnit: actual.renewalStatus === "AutoRenewal" ? actual.periodUnit : old?.periodUnit ?? "Month",
      onDelete: old?.onDelete ?? "restore",
    };
    const previous = (props.previous as PreviousSettings | undefined) ?? actual;
    return { id, props: this.outputs(inputs, info, attr, previous), inputs: { ...inputs } };
  }

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const inputs = asInputs(props);
    const key = `${inputs.regionId}/${inputs.instanceId}`;
    if (this.ctx.claimed.has(key)) {
      this.ctx.log.info(`InstanceRenewal: instance ${id} is now managed by another InstanceRenewal written in this run; leaving its settings as they are.`);
      return;
    }
    const previous = props.previous as PreviousSettings | undefined;
    const target: AutoRenewSettings | undefined =
      inputs.onDelete === "restore"
        ? previous && desiredSettings(previous)
        : { renewalStatus: inputs.onDelete };
    if (!target) return;
    const [info, attr] = await Promise.all([this.ctx.instances.instance(inputs.regionId, id), this.ctx.instances.renewAttribute(inputs.regionId, id)]);
    if (!info) {
      this.ctx.log.info(`InstanceRenewal: instance ${id} no longer exists in ${inputs.regionId} (released); nothing to restore.`);
      return;
    }
    if (info.instanceChargeType !== "PrePaid") {
      this.ctx.log.info(`InstanceRenewal: instance ${id} is now Pay-As-You-Go; renewal settings no longer apply, nothing to restore.`);
      return;
    }
    if (settingsMatch(attr, target)) return;
    await this.ctx.instances.setAutoRenew(inputs.regionId, id, target);
    this.ctx.log.info(`InstanceRenewal: instance ${id} set back to ${describeSettings(target)} (onDelete: ${inputs.onDelete}).`);
  }

  private async lookup(regionId: string, instanceId: string): Promise<{ info: InstanceInfo; attr: RenewAttribute | undefined }> {
    const [info, attr] = await Promise.all([this.instanceInfo(regionId, instanceId), this.ctx.instances.renewAttribute(regionId, instanceId)]);
    return { info, attr };
  }

  private async instanceInfo(regionId: string, instanceId: string): Promise<InstanceInfo> {
    const info = await this.ctx.instances.instance(regionId, instanceId);
    if (!info) {
      throw new RenewalError(
        `ECS found no instance ${instanceId} in region ${regionId}. Check instanceId and regionId (or stack config alicloud:region); a released instance cannot be renewed.`,
        { code: "InvalidInstanceId.NotFound", instanceIds: [instanceId] },
      );
    }
    return info;
  }

  /** Refuses what ECS would refuse (or what would surprise), with what to do instead. */
  private preflight(inputs: InstanceRenewalInputs, info: InstanceInfo, attr: RenewAttribute | undefined): void {
    const id = inputs.instanceId;
    if (info.instanceChargeType !== "PrePaid") {
      throw new RenewalError(
        `Instance ${id} is Pay-As-You-Go (${info.instanceChargeType}): renewal settings apply only to subscription (PrePaid) instances. Remove this InstanceRenewal, or convert the instance to subscription first.`,
        { code: "ChargeTypeViolation", instanceIds: [id] },
      );
    }
    if (inputs.renewalStatus !== "AutoRenewal" || attr?.renewalStatus === "AutoRenewal") return;
    if (attr?.renewalStatus === "NotRenewal") {
      throw new RenewalError(
        `Instance ${id} is set to NotRenewal (expire without renewal), and Alibaba Cloud only allows auto-renewal after it is set back to Normal. If keeping it is intended, declare renewalStatus: "Normal", run pulumi up, then change it to "AutoRenewal".`,
        { code: "NotRenewal", instanceIds: [id] },
      );
    }
    const expiry = parseEcsTime(info.expiredTime);
    const now = this.ctx.now();
    if (expiry && expiry.getTime() - now.getTime() < AUTO_RENEW_MIN_REMAINING_MS) {
      const when = expiry.getTime() <= now.getTime() ? `expired at ${formatEcsTime(expiry)}` : `expires at ${formatEcsTime(expiry)}, within 24 hours`;
      throw new RenewalError(
        `Instance ${id} ${when}; Alibaba Cloud does not allow switching it to auto-renewal now. Renew it manually first (a ManualRenewal resource, or the console), then apply again.`,
        { code: "ExpiresTooSoon", instanceIds: [id] },
      );
    }
  }

  /** Writes the settings if needed, confirms them by reading back, and returns full outputs. */
  private async apply(inputs: InstanceRenewalInputs, info: InstanceInfo, attr: RenewAttribute | undefined, previous: PreviousSettings): Promise<InstanceRenewalOutputs> {
    this.preflight(inputs, info, attr);
    const want = desiredSettings(inputs);
    this.ctx.claimed.add(`${inputs.regionId}/${inputs.instanceId}`);
    let confirmed = attr;
    if (!settingsMatch(attr, want)) {
      await this.ctx.instances.setAutoRenew(inputs.regionId, inputs.instanceId, want);
      try {
        confirmed = await this.awaitSettings(inputs.regionId, inputs.instanceId, want);
      } catch (error) {
        // The write went through: keep the resource in state so the next run reconciles it.
        throw keptInState(error as Error, inputs.instanceId, this.outputs(inputs, info, attr, previous));
      }
    }
    return this.outputs(inputs, info, confirmed, previous);
  }

  /** ECS is eventually consistent: poll, with a bound, until a read shows what we wrote. */
  private async awaitSettings(regionId: string, instanceId: string, want: AutoRenewSettings): Promise<RenewAttribute | undefined> {
    const deadline = Date.now() + this.ctx.consistencyTimeoutMs;
    let delay = 0;
    for (;;) {
      if (delay) await sleep(delay);
      const attr = await this.ctx.instances.renewAttribute(regionId, instanceId);
      if (settingsMatch(attr, want)) return attr;
      if (Date.now() + delay > deadline) {
        throw new RenewalError(
          `ECS accepted the new renewal settings for instance ${instanceId} (${describeSettings(want)}) but still reports ${attr ? describeSettings(attr) : "nothing"} after ${Math.round(this.ctx.consistencyTimeoutMs / 1000)} s. Run pulumi refresh, then pulumi up again.`,
          { instanceIds: [instanceId] },
        );
      }
      delay = Math.min(2_000, Math.max(200, delay * 2));
    }
  }

  private outputs(inputs: InstanceRenewalInputs, info: InstanceInfo, attr: RenewAttribute | undefined, previous: PreviousSettings): InstanceRenewalOutputs {
    const expiry = parseEcsTime(info.expiredTime);
    const now = this.ctx.now();
    const auto = attr?.renewalStatus === "AutoRenewal";
    let warning: string | undefined;
    if (info.instanceChargeType !== "PrePaid") {
      warning = `Instance ${inputs.instanceId} is now Pay-As-You-Go (${info.instanceChargeType}): it no longer expires and has no renewal settings. Remove this InstanceRenewal; deleting it changes nothing in ECS.`;
      this.ctx.log.warn(warning);
    } else if (auto && expiry && insideAutoRenewWindow(expiry, now)) {
      warning = `Instance ${inputs.instanceId} expires at ${formatEcsTime(expiry)} (${Math.max(0, daysLeft(expiry, now))} days left): auto-renew deducts from the 9th day before expiry, so it may not renew in time. Renew it now with a ManualRenewal.`;
      this.ctx.log.warn(warning);
    }
    const next = auto && expiry ? nextAutoRenewDeduction(expiry, now) : undefined;
    return definedOnly({
      ...inputs,
      autoRenewEnabled: attr?.autoRenewEnabled ?? false,
      expiredTime: info.expiredTime ?? "",
      instanceChargeType: info.instanceChargeType,
      status: info.status,
      nextAutoRenewDeduction: next?.toISOString(),
      previous,
      warning,
    });
  }
}

/** The auto-renew attribute as the last create, update or refresh recorded it in state. */
function recordedAttribute(instanceId: string, olds: Record<string, unknown>): RenewAttribute {
  const o = asInputs(olds);
  return { instanceId, renewalStatus: o.renewalStatus, duration: o.duration, periodUnit: o.periodUnit, autoRenewEnabled: o.renewalStatus === "AutoRenewal" };
}

function describeSettings(s: { renewalStatus: string; duration?: number; periodUnit?: string }): string {
  return s.renewalStatus === "AutoRenewal" ? `AutoRenewal every ${s.duration} ${s.periodUnit}${s.duration === 1 ? "" : "s"}` : s.renewalStatus;
}
