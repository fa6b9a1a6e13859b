// The catalogue of bad inputs: each must fail at check (so in `pulumi preview`) with a reason that names the
// property, the value and what is allowed. The README's table lists every case by name.

const ok = { instanceId: "i-bp1demo000000000001" };

/** [case, inputs, property, words the reason must contain] */
export const INSTANCE_RENEWAL_BAD_INPUTS: Array<[string, Record<string, unknown>, string, string[]]> = [
  ["missing instanceId", {}, "instanceId", ["required"]],
  ["empty instanceId", { instanceId: "" }, "instanceId", ['""', "i-"]],
  ["whitespace instanceId", { instanceId: "   " }, "instanceId", ['"   "', "no spaces"]],
  ["padded instanceId", { instanceId: " i-bp1demo000000000001 " }, "instanceId", ["no spaces"]],
  ["upper-case instanceId", { instanceId: "I-BP1DEMO" }, "instanceId", ['"I-BP1DEMO"', "lower-case"]],
  ["numeric instanceId", { instanceId: 42 }, "instanceId", ["42", "not a string"]],
  ["instanceId of another resource type", { instanceId: "d-bp1disk0001" }, "instanceId", ['"d-bp1disk0001"']],
  ["region in wrong form", { ...ok, regionId: "Hangzhou" }, "regionId", ['"Hangzhou"', "cn-hangzhou"]],
  ["region not a string", { ...ok, regionId: 1 }, "regionId", ["1", "not a string"]],
  ["wrong-case renewalStatus", { ...ok, renewalStatus: "autorenewal" }, "renewalStatus", ['"autorenewal"', '"AutoRenewal"', "case-sensitive"]],
  ["unknown renewalStatus", { ...ok, renewalStatus: "Auto" }, "renewalStatus", ['"Auto"', '"Normal"', '"NotRenewal"']],
  ["duration 5 months", { ...ok, duration: 5 }, "duration", ["5", '"Month"', "1, 2, 3, 6, 12, 24, 36, 48, 60"]],
  ["duration 0", { ...ok, duration: 0 }, "duration", ["0", "1, 2, 3, 6"]],
  ["negative duration", { ...ok, duration: -1 }, "duration", ["-1"]],
  ["fractional duration", { ...ok, duration: 1.5 }, "duration", ["1.5", "whole number"]],
  ["duration as words", { ...ok, duration: "one" }, "duration", ['"one"', "number"]],
  ["6 years", { ...ok, duration: 6, periodUnit: "Year" }, "duration", ["6", '"Year"', "1, 2, 3, 4, 5"]],
  ["12 weeks", { ...ok, duration: 12, periodUnit: "Week" }, "duration", ["12", '"Week"', "1, 2, 3, 4"]],
  ["unit Day", { ...ok, periodUnit: "Day" }, "periodUnit", ['"Day"', '"Month"', '"Year"', '"Week"']],
  ["lower-case unit", { ...ok, periodUnit: "month" }, "periodUnit", ['"month"', "case-sensitive"]],
  ["plural unit", { ...ok, periodUnit: "Months" }, "periodUnit", ['"Months"']],
  ["onDelete retain", { ...ok, onDelete: "retain" }, "onDelete", ['"retain"', '"restore"', "retainOnDelete"]],
  ["onDelete wrong case", { ...ok, onDelete: "Restore" }, "onDelete", ['"Restore"', "case-sensitive"]],
  ["unknown property", { ...ok, autoRenew: true }, "autoRenew", ["unknown property", "renewalStatus"]],
  ["Terraform-style name", { ...ok, auto_renew_period: 1 }, "auto_renew_period", ["unknown property", "duration"]],
];

/** ManualRenewal cases; instanceId and scope are added by the test. */
export const MANUAL_RENEWAL_BAD_INPUTS: Array<[string, Record<string, unknown>, string, string[]]> = [
  ["manual: period 10 months", { period: 10 }, "period", ["10", "1, 2, 3, 4, 5, 6, 7, 8, 9, 12"]],
  ["manual: period 5 weeks", { period: 5, periodUnit: "Week" }, "period", ["5", '"Week"', "1, 2, 3, 4"]],
  ["manual: unit Year", { period: 1, periodUnit: "Year" }, "periodUnit", ['"Year"', '"Month"', '"Week"']],
  ["manual: unit wrong case", { period: 1, periodUnit: "month" }, "periodUnit", ['"month"', "case-sensitive"]],
  ["manual: period with ensureExpiresAfter", { period: 1, ensureExpiresAfter: "2099-01-01" }, "ensureExpiresAfter", ["cannot be combined with period"]],
  ["manual: period with expectedRenewDay", { period: 1, expectedRenewDay: 5 }, "expectedRenewDay", ["cannot be combined with period"]],
  ["manual: expectedRenewDay 29", { expectedRenewDay: 29 }, "expectedRenewDay", ["29", "1 to 28"]],
  ["manual: expectedRenewDay 0", { expectedRenewDay: 0 }, "expectedRenewDay", ["0", "1 to 28"]],
  ["manual: date in the past", { ensureExpiresAfter: "2020-01-01" }, "ensureExpiresAfter", ['"2020-01-01"', "in the past"]],
  ["manual: not a date", { ensureExpiresAfter: "next month" }, "ensureExpiresAfter", ['"next month"', "ISO-8601"]],
  ["manual: negative maxPrice", { maxPrice: -1 }, "maxPrice", ["-1", "0 or more"]],
  ["manual: maxPrice as text", { maxPrice: "100" }, "maxPrice", ['"100"', "not a number"]],
  ["manual: onlyIfExpiresWithinDays 0", { onlyIfExpiresWithinDays: 0 }, "onlyIfExpiresWithinDays", ["0", "above 0"]],
  ["manual: renewalKey number", { renewalKey: 7 }, "renewalKey", ["7", "not a string"]],
  ["manual: unknown property", { autoRenew: true }, "autoRenew", ["unknown property", "ensureExpiresAfter"]],
  ["manual: empty instanceId", { instanceId: "" }, "instanceId", ['""']],
  ["manual: periodUnit without period", { periodUnit: "Week", expectedRenewDay: 3 }, "periodUnit", ["applies only to period"]],
];

/**
 * What the international site refuses (stack config alicloud-renewal:site international), and a site that is
 * none: [case, resource, inputs, property ("" for the stack's config), words the reason must contain].
 */
export const SITE_BAD_INPUTS: Array<[string, "InstanceRenewal" | "ManualRenewal", Record<string, unknown>, string, string[]]> = [
  ["international: auto-renew by Week", "InstanceRenewal", { ...ok, periodUnit: "Week", duration: 1 }, "periodUnit", ['"Week"', "international site", '"Month", "Year"']],
  ["international: renew by Week", "ManualRenewal", { period: 1, periodUnit: "Week" }, "periodUnit", ['"Week"', "international site", '"Month"']],
  ["international: renew by 24 months", "ManualRenewal", { period: 24 }, "period", ["24", "international site", "1, 2, 3, 4, 5, 6, 7, 8, 9, 12"]],
];

/** The other families' settings resources and ManualRenewal of them: [case, resource, inputs, property, words]. */
export const FAMILY_BAD_INPUTS: Array<[string, string, Record<string, unknown>, string, string[]]> = [
  ["host: missing dedicatedHostId", "DedicatedHostRenewal", {}, "dedicatedHostId", ["required", "dh-"]],
  ["host: instance id given", "DedicatedHostRenewal", { dedicatedHostId: "i-bp67acfmxazb4ph1" }, "dedicatedHostId", ['"i-bp67acfmxazb4ph1"', "dedicated host id"]],
  ["host: duration 5 months", "DedicatedHostRenewal", { dedicatedHostId: "dh-bp1host00000001", duration: 5 }, "duration", ["5", "1, 2, 3, 6, 12, 24, 36, 48, 60"]],
  ["host: autoRenewWithEcs wrong", "DedicatedHostRenewal", { dedicatedHostId: "dh-bp1host00000001", autoRenewWithEcs: "true" }, "autoRenewWithEcs", ['"true"', '"AutoRenewWithEcs"', '"StopRenewWithEcs"']],
  ["reserved: NotRenewal", "ReservedInstanceRenewal", { reservedInstanceId: "ecsri-bp1ri0000001", renewalStatus: "NotRenewal" }, "renewalStatus", ['"NotRenewal"', '"AutoRenewal", "Normal"']],
  ["reserved: 2 years", "ReservedInstanceRenewal", { reservedInstanceId: "ecsri-bp1ri0000001", duration: 2, periodUnit: "Year" }, "duration", ["2", "1, 3, 5"]],
  ["reserved: onDelete NotRenewal", "ReservedInstanceRenewal", { reservedInstanceId: "ecsri-bp1ri0000001", onDelete: "NotRenewal" }, "onDelete", ['"NotRenewal"', '"restore", "Normal"']],
  ["assurance: 2 months", "ElasticityAssuranceRenewal", { elasticityAssuranceId: "eap-bp1ea00000001", duration: 2 }, "duration", ["2", "use one of 1"]],
  ["assurance: weekly", "ElasticityAssuranceRenewal", { elasticityAssuranceId: "eap-bp1ea00000001", periodUnit: "Week" }, "periodUnit", ['"Week"', '"Month", "Year"']],
  ["emr: weekly", "EmrClusterRenewal", { clusterId: "c-bp1emr0000000001", periodUnit: "Week" }, "periodUnit", ['"Week"', '"Month", "Year"']],
  ["emr: 48 months", "EmrClusterRenewal", { clusterId: "c-bp1emr0000000001", duration: 48 }, "duration", ["48", "1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36"]],
  ["emr: upper-case id", "EmrClusterRenewal", { clusterId: "C-DEMO0001" }, "clusterId", ['"C-DEMO0001"', "E-MapReduce cluster id"]],
];
