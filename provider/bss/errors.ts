// BSS errors as sentences: BSS's own codes here; credentials, throttling, 5xx and lost answers read as for ECS.

import { apiErrorFields, describeEcsError, RenewalError, type EcsCallContext } from "../ecs/errors";

/** The RAM action behind QueryAvailableInstances (older documentation: bssapi:QueryAvailableInstances). */
export const BSS_RAM_ACTION = "bss:DescribeInstances";

export function describeBssError(error: unknown, ctx: EcsCallContext): RenewalError {
  if (error instanceof RenewalError) return error;
  const bssCtx = { ...ctx, service: "BSS" };
  const f = apiErrorFields(error);
  const tail = ` (BSS ${ctx.action} error ${f.code}${f.requestId ? `, request id ${f.requestId}` : ""})`;
  const said = f.apiMessage ? ` The API said: ${f.apiMessage}` : "";
  let sentence: string | undefined;
  switch (f.code) {
    case "NotApplicable":
      sentence = `BSS says ${ctx.action} does not apply to this account: an international-site (alibabacloud.com) account must use the endpoint business.ap-southeast-1.aliyuncs.com. Set stack config alicloud-renewal:bssEndpoint or ALIBABA_CLOUD_BSS_ENDPOINT to it (report: --bss-endpoint).`;
      break;
    case "Forbidden.RAM":
    case "Forbidden":
    case "NoPermission":
      sentence = `The credentials in use are not allowed to list the account's subscriptions through BSS. Grant ${BSS_RAM_ACTION} to the RAM user or role, or leave other products out of the report (--products ecs).`;
      break;
    default:
      if (f.code?.startsWith("InvalidParameter")) sentence = `BSS refused the subscription query.${said} This is a bug in pulumi-alicloud-renewal: please report it.`;
  }
  if (sentence && f.statusCode !== undefined && f.statusCode >= 400) {
    return new RenewalError(sentence + tail, { code: f.code, requestId: f.requestId, action: ctx.action });
  }
  return describeEcsError(error, bssCtx);
}
