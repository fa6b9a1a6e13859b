// One place that turns what the ECS API or the network said into a sentence a user can act on:
// what happened, to which instance, what to do; the API code and request id are kept.

export interface EcsCallContext {
  action: string;
  /** The product in messages and its endpoint key, e.g. "BSS" → alicloud-renewal:bssEndpoint; default "ECS". */
  service?: string;
  regionId?: string;
  instanceIds: string[];
  /** What the ids are: "instance" unless said otherwise ("dedicated host", "EMR cluster"). */
  noun?: string;
}

/** The fields this project reads off an SDK error (ClientError, ServerError, ThrottlingError) or a network error. */
export interface ApiErrorFields {
  code?: string;
  statusCode?: number;
  requestId?: string;
  apiMessage?: string;
  /** The server asked us to wait this long (x-acs-retry-after). */
  retryAfterMs?: number;
  /** The request may have reached the server but no answer came back. */
  noAnswer: boolean;
  /** The request never left this machine (connection refused, DNS): safe to repeat even when charging. */
  notSent: boolean;
  /** The credential chain found nothing to sign with: the request was never sent. */
  noCredentials?: boolean;
}

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** What @alicloud/credentials says when no provider in its default chain has credentials. */
const NO_CREDENTIALS = /unable to get credentials from any of the providers in the chain/i;
const NO_ANSWER_CODES = new Set(["ECONNRESET", "ETIMEDOUT", "ESOCKETTIMEDOUT", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET"]);

export function apiErrorFields(error: unknown): ApiErrorFields {
  const e = (error ?? {}) as Record<string, unknown>;
  const data = (e.data ?? {}) as Record<string, unknown>;
  const code = typeof e.code === "string" ? e.code : undefined;
  const message = typeof e.message === "string" ? e.message : String(error);
  const statusCode = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const isApiAnswer = statusCode !== undefined && statusCode >= 400;
  const networkCode = code ?? (typeof (e.cause as Record<string, unknown>)?.code === "string" ? ((e.cause as Record<string, unknown>).code as string) : undefined);
  const notSent = !isApiAnswer && networkCode !== undefined && NOT_SENT_CODES.has(networkCode);
  const noCredentials = !isApiAnswer && NO_CREDENTIALS.test(message);
  const noAnswer =
    !isApiAnswer &&
    !notSent &&
    !noCredentials &&
    ((networkCode !== undefined && NO_ANSWER_CODES.has(networkCode)) || /socket hang up|timeout|timed out|ECONNRESET|network/i.test(message));
  const retryAfter = typeof e.retryAfter === "number" && e.retryAfter > 0 ? e.retryAfter : undefined;
  return {
    code: isApiAnswer ? code ?? (data.Code as string | undefined) : networkCode,
    statusCode,
    requestId: (data.RequestId as string | undefined) ?? (typeof e.requestId === "string" && e.requestId !== "undefined" ? e.requestId : undefined),
    apiMessage: typeof data.Message === "string" ? data.Message : isApiAnswer ? message : undefined,
    retryAfterMs: retryAfter,
    noAnswer,
    notSent,
    ...(noCredentials ? { noCredentials } : {}),
  };
}

export function isThrottling(f: ApiErrorFields): boolean {
  return f.code !== undefined && f.code.includes("Throttling");
}

/** Safe to repeat for reads and settings writes: throttling, 5xx, no answer, not sent. */
export function retryableForIdempotentCall(error: unknown): { retry: boolean; minDelayMs?: number; timing?: boolean } {
  const f = apiErrorFields(error);
  if (isThrottling(f)) return { retry: true, minDelayMs: f.retryAfterMs, timing: true };
  if (f.statusCode !== undefined && f.statusCode >= 500) return { retry: true };
  return { retry: f.noAnswer || f.notSent };
}

/** An error that reads as a sentence and keeps what support needs. `message` never holds a secret. */
export class RenewalError extends Error {
  readonly code?: string;
  readonly requestId?: string;
  readonly action?: string;
  readonly instanceIds: string[];

  constructor(message: string, details: { code?: string; requestId?: string; action?: string; instanceIds?: string[] } = {}) {
    super(message);
    this.name = "RenewalError";
    this.code = details.code;
    this.requestId = details.requestId;
    this.action = details.action;
    this.instanceIds = details.instanceIds ?? [];
  }
}

function instancesPhrase(ids: string[], noun = "instance"): string {
  if (ids.length === 0) return "the request";
  if (ids.length === 1) return `${noun} ${ids[0]}`;
  if (ids.length <= 3) return `${noun}s ${ids.join(", ")}`;
  return `${ids.length} ${noun}s (${ids.slice(0, 3).join(", ")}, …)`;
}

/** The sentence for a code; `what` is e.g. "instance i-abc" and `where` e.g. " in region cn-hangzhou". */
function sentenceFor(code: string, f: ApiErrorFields, ctx: EcsCallContext): string {
  const what = instancesPhrase(ctx.instanceIds, ctx.noun);
  const service = ctx.service ?? "ECS";
  const family = familySentence(code, f, ctx, what, service);
  if (family) return family;
  const where = ctx.regionId ? ` in region ${ctx.regionId}` : "";
  const api = f.apiMessage ? ` The API said: ${f.apiMessage}` : "";
  switch (code) {
    case "InvalidInstanceId.NotFound":
      return `ECS found no ${what}${where}. Check the instance id and the region (regionId, or stack config alicloud:region); a released instance cannot be renewed.`;
    case "InvalidParameter.InvalidInstanceId":
      return `ECS rejected the id of ${what}: instance ids look like "i-bp1abc…".${api}`;
    case "MissingParameter.InstanceId":
    case "InvalidParameter.RenewalStatusInstanceId":
    case "MissingParamter":
      return `ECS found a required parameter missing in ${ctx.action} for ${what}.${api} This is a bug in pulumi-alicloud-renewal: please report it.`;
    case "InvalidParameter.ToManyInstanceIds":
      return `ECS refused ${ctx.action} for more than 100 instances in one call. This is a bug in pulumi-alicloud-renewal's batching: please report it.`;
    case "ChargeTypeViolation":
      return `${capital(what)} is Pay-As-You-Go (PostPaid): renewal applies only to subscription (PrePaid) instances. Remove the renewal resource for it, or convert the instance to subscription first.`;
    case "IncorrectInstanceStatus":
      return `${capital(what)} is in a state that does not allow ${ctx.action} (for example released, being released, or locked).${api} Check the instance in the ECS console; if it is locked for an overdue payment, settle it first.`;
    case "InvalidParameter.Duration":
    case "InvalidPeriodUnit.ValueNotSupported":
    case "InvalidPriceUnit.ValueNotSupported":
    case "InvalidParameter.RenewalStatus":
    case "InvalidPeriod":
      return `ECS rejected the renewal period for ${what}.${api} ${ALLOWED_PERIODS[ctx.action] ?? ""}`.trimEnd();
    case "InvalidParameter.ExpectedRenewDay":
      return `ECS refused the unified expiration day for ${what}.${api} It must equal the unified expiration day set for the account (Billing console); renew by period otherwise.`;
    case "InstanceLockedForSecurity":
      return `${capital(what)} is locked for security reasons, and ECS refuses ${ctx.action} while it is. Resolve the security lock (ECS console, or a ticket), then run the command again.`;
    case "InvalidPeriod.StarterPackage":
      return `${capital(what)} was bought with a starter package and can only renew by the month. Set periodUnit to "Month".`;
    case "InvalidPeriod.ExceededMaximumExpirationDate":
      return `Renewing ${what} by that period would push its expiry past the maximum Alibaba Cloud allows. Choose a shorter period.`;
    case "IdempotentParameterMismatch":
    case "IdempotenceParamNotMatch":
      return `ECS saw the same client token with different parameters for ${what}: an earlier order with this token used other renewal parameters. Change renewalKey to ask for a new renewal.`;
    case "LastTokenProcessing":
    case "Idempotence.Processing":
      return `ECS is still processing an order for ${what} sent with this client token: it may have been placed. Wait a few minutes and run the command again; the same client token makes ECS answer with that order instead of charging again.`;
    case "LastOrderProcessing":
      return `An earlier order for ${what} is still being processed (its new expiry has not shown yet); ECS took no new order. Wait a few minutes and run the command again.`;
    case "Instance.UnPaidOrder":
      return `${capital(what)} has an unpaid order. Pay or cancel it in the Alibaba Cloud console (Expenses > Orders), then run the command again.`;
    case "InvalidAccountStatus.NotEnoughBalance":
      return `The account balance is too low to renew ${what}. Top up the account (or raise the credit limit), then run the command again.`;
    case "Forbidden.RAM":
    case "Forbidden":
    case "NoPermission":
      return `The credentials in use are not allowed to call ${service.toLowerCase()}:${ctx.action} on ${what}. Grant that action to the RAM user or role (the README lists the least-privilege policy).`;
    case "InvalidAccessKeyId.NotFound":
    case "InvalidAccessKeyId":
      return `Alibaba Cloud does not know the access key in use. Check alicloud:accessKey / ALIBABA_CLOUD_ACCESS_KEY_ID (or the profile you selected).`;
    case "SignatureDoesNotMatch":
      return `Alibaba Cloud rejected the request signature: the access key secret does not match the access key. Check alicloud:secretKey / ALIBABA_CLOUD_ACCESS_KEY_SECRET.`;
    case "IncompleteSignature":
      return `Alibaba Cloud received a request without a complete signature. Check that credentials are configured (alicloud:accessKey and alicloud:secretKey, or the credential chain).`;
    case "InvalidSecurityToken.Expired":
    case "InvalidSecurityToken.Malformed":
    case "InvalidSecurityToken.MismatchWithAccessKey":
      return `The STS security token in use is expired or does not match the access key. Refresh alicloud:securityToken / ALIBABA_CLOUD_SECURITY_TOKEN.`;
    default:
      break;
  }
  if (code.includes("Throttling")) {
    return `${service} kept throttling ${ctx.action} for ${what}${where} after several retries. Run the command again later, or lower --parallel.`;
  }
  if (f.statusCode !== undefined && f.statusCode >= 500) {
    return `${service} failed to process ${ctx.action} for ${what}${where} after several retries (a server-side error).${api} Run the command again; if it persists, check the Alibaba Cloud status page.`;
  }
  return `${service} refused ${ctx.action} for ${what}${where}.${api}`;
}

/**
 * Sentences for the codes of the other subscription families (dedicated hosts, reserved instances,
 * elasticity assurances, EMR clusters), or undefined to use the instance table above. Instances keep
 * their own sentences word for word.
 */
function familySentence(code: string, f: ApiErrorFields, ctx: EcsCallContext, what: string, service: string): string | undefined {
  const api = f.apiMessage ? ` The API said: ${f.apiMessage}` : "";
  const where = ctx.regionId ? ` in region ${ctx.regionId}` : "";
  if (code === "InvalidPeriod.ExceededDedicatedHost") {
    return `${capital(what)} runs on a dedicated host that expires before the new expiry: an instance cannot be renewed past its host's expiry.${api} Renew the host first (ManualRenewal with dedicatedHostId), or choose a shorter period.`;
  }
  if (ctx.noun === undefined || ctx.noun === "instance") return undefined;
  if (/NotFound/.test(code)) return `${service} found no ${what}${where}. Check the id and the region (regionId, or stack config alicloud:region); a released subscription cannot be renewed.`;
  if (code === "ChargeTypeViolation" || code === "OperationDenied.PaymentType") {
    return `${capital(what)} is Pay-As-You-Go: renewal applies only to subscriptions. Remove the renewal resource for it, or convert it to subscription first.`;
  }
  if (/^Incorrect\w*Status$|^OperationDenied\.ClusterExpiring$|^InvalidStatus\./.test(code)) {
    return `${capital(what)} is in a state that does not allow ${ctx.action} (for example expired, expiring within a day, or locked).${api} Renew it manually first if it is about to expire, then apply again.`;
  }
  if (/^(MissingParameter|MissingParamter|Abs\.MissingParamter)/.test(code) || /ToMany/.test(code)) {
    return `${service} refused ${ctx.action} for ${what}: ${code}.${api} This is a bug in pulumi-alicloud-renewal: please report it.`;
  }
  if (/^(InvalidParameter\.(Duration|Period|ClusterAutoRenewDuration)|InvalidPeriod|InvalidPeriodUnit)/.test(code)) {
    return `${service} rejected the renewal period for ${what}.${api} ${ALLOWED_PERIODS[ctx.action] ?? ""}`.trimEnd();
  }
  return undefined;
}

/** The value sets behind a refused period, per call (the international site takes no Week). */
const ALLOWED_PERIODS: Record<string, string> = {
  ModifyInstanceAutoRenewAttribute: "Auto-renew takes duration Month: 1, 2, 3, 6, 12, 24, 36, 48, 60; Year: 1–5; Week: 1–4 (China site only).",
  RenewInstance: "RenewInstance takes period Month: 1–9, 12, 24, 36, 48, 60 (international site: 1–9, 12); Week: 1–4 (China site only). Set stack config alicloud-renewal:site to the account's site so that preview checks it.",
  DescribeRenewalPrice: "DescribeRenewalPrice prices Month 1–9 and Year 1–3 only.",
  ModifyDedicatedHostAutoRenewAttribute: "Dedicated host auto-renew takes duration Month: 1, 2, 3, 6, 12, 24, 36, 48, 60; Year: 1–5; Week: 1–4 (China site); the international site Month 1, 12 and Year 1, 12.",
  RenewDedicatedHosts: "RenewDedicatedHosts takes period Month: 1–9, 12, 24, 36, 48, 60; Year: 1–5; Week: 1–4 (China site only).",
  ModifyReservedInstanceAutoRenewAttribute: "Reserved instance auto-renew takes Year 1, 3, 5 or Month 1 (China site); Year 1, 3 (international site).",
  RenewReservedInstances: "RenewReservedInstances takes Year 1, 3, 5 or Month 1 (China site); Year 1, 3 (international site).",
  ModifyElasticityAssuranceAutoRenewAttribute: "Elasticity assurance auto-renew takes Year 1, 3, 5 or Month 1.",
  RenewElasticityAssurances: "RenewElasticityAssurances takes Week 1–3, Month 1–9, Year 1–5.",
  UpdateClusterAutoRenew: "EMR cluster auto-renew takes Month 1–9, 12, 24, 36 or Year 1–3.",
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Maps any error from an ECS call to a RenewalError. */
export function describeEcsError(error: unknown, ctx: EcsCallContext): RenewalError {
  if (error instanceof RenewalError) return error;
  const f = apiErrorFields(error);
  const service = ctx.service ?? "ECS";
  if (f.statusCode === undefined || f.statusCode < 400) {
    const what = instancesPhrase(ctx.instanceIds, ctx.noun);
    const reason = f.code ? ` (${f.code})` : "";
    const msg = f.noCredentials
      ? `No Alibaba Cloud credentials were found for ${ctx.action} on ${what}. Set stack config alicloud:accessKey and alicloud:secretKey (pulumi config set --secret), or alicloud:profile, or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.`
      : f.notSent
      ? `Could not reach the ${service} endpoint for ${ctx.action} on ${what}${reason}. Check the network, the region, and alicloud-renewal:${service.toLowerCase()}Endpoint if you set one.`
      : `No answer from ${service} for ${ctx.action} on ${what}${reason} after several retries. Run the command again; settings changes are safe to repeat.`;
    return new RenewalError(msg, { code: f.code, action: ctx.action, instanceIds: ctx.instanceIds });
  }
  const code = f.code ?? "Unknown";
  const tail = ` (${service} ${ctx.action} error ${code}${f.requestId ? `, request id ${f.requestId}` : ""})`;
  return new RenewalError(sentenceFor(code, f, ctx) + tail, {
    code,
    requestId: f.requestId,
    action: ctx.action,
    instanceIds: ctx.instanceIds,
  });
}

/** Replaces every occurrence of a secret in text. The last guard before text leaves the provider. */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join("***");
  }
  return out;
}
