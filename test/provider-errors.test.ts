// Error mapping on the SDK's own error classes: each code becomes a sentence naming the instance and what
// to do, keeping the API code and request id; secrets never survive into a message.
import { ClientError, ServerError, ThrottlingError } from "@alicloud/openapi-core";
import { describe, expect, it } from "vitest";
import { apiErrorFields, describeEcsError, redact, retryableForIdempotentCall } from "../provider/ecs/errors";

const ctx = { action: "ModifyInstanceAutoRenewAttribute", regionId: "cn-hangzhou", instanceIds: ["i-bp1demo000000000001"] };

function client(code: string, statusCode = 403, message = "api says so") {
  return new ClientError({ statusCode, code, message: `code: ${statusCode}, ${message} request id: R-1`, data: { RequestId: "R-1", Code: code, Message: message }, requestId: "R-1" });
}

/** [code, words the sentence must contain] */
const MAPPED: Array<[string, string[]]> = [
  ["InvalidInstanceId.NotFound", ["found no instance i-bp1demo000000000001", "cn-hangzhou", "alicloud:region"]],
  ["ChargeTypeViolation", ["Pay-As-You-Go", "subscription"]],
  ["IncorrectInstanceStatus", ["state", "console"]],
  ["InvalidParameter.Duration", ["renewal period", "Month: 1, 2, 3, 6, 12, 24, 36, 48, 60", "Week: 1–4 (China site only)"]],
  ["InvalidPeriodUnit.ValueNotSupported", ["renewal period", "China site only"]],
  ["InvalidPeriod.StarterPackage", ["starter package", '"Month"']],
  ["IdempotentParameterMismatch", ["client token", "renewalKey"]],
  ["IdempotenceParamNotMatch", ["client token", "renewalKey"]],
  ["LastOrderProcessing", ["still being processed", "ECS took no new order"]],
  ["LastTokenProcessing", ["still processing an order", "may have been placed", "same client token"]],
  ["Idempotence.Processing", ["still processing an order", "may have been placed", "same client token"]],
  ["InstanceLockedForSecurity", ["locked for security reasons"]],
  ["InvalidParameter.RenewalStatusInstanceId", ["bug in pulumi-alicloud-renewal"]],
  ["InvalidAccountStatus.NotEnoughBalance", ["balance", "Top up"]],
  ["Forbidden.RAM", ["ecs:ModifyInstanceAutoRenewAttribute", "RAM"]],
  ["InvalidAccessKeyId.NotFound", ["access key", "alicloud:accessKey"]],
  ["SignatureDoesNotMatch", ["secret", "alicloud:secretKey"]],
  ["IncompleteSignature", ["credentials"]],
  ["Instance.UnPaidOrder", ["unpaid order"]],
];

describe("ECS error mapping", () => {
  it.each(MAPPED)("%s reads as an actionable sentence with code and request id", (code, words) => {
    const mapped = describeEcsError(client(code), ctx);
    for (const w of words) expect(mapped.message).toContain(w);
    expect(mapped.message).toContain(`(ECS ModifyInstanceAutoRenewAttribute error ${code}, request id R-1)`);
    expect(mapped.code).toBe(code);
    expect(mapped.requestId).toBe("R-1");
  });

  it("unknown codes keep the API's own message", () => {
    expect(describeEcsError(client("Something.New", 400, "details here"), ctx).message).toContain("details here");
  });

  it("retries throttling (with the server's wait), 5xx and lost answers, nothing else", () => {
    const throttled = new ThrottlingError({ statusCode: 400, code: "Throttling.User", retryAfter: 1500, data: { RequestId: "R-2" } });
    expect(retryableForIdempotentCall(throttled)).toEqual({ retry: true, minDelayMs: 1500, timing: true });
    expect(retryableForIdempotentCall(new ServerError({ statusCode: 503, code: "ServiceUnavailable", data: {} }))).toEqual({ retry: true });
    expect(retryableForIdempotentCall(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toEqual({ retry: true });
    expect(retryableForIdempotentCall(client("InvalidInstanceId.NotFound", 404)).retry).toBe(false);
    expect(retryableForIdempotentCall(client("Forbidden.RAM")).retry).toBe(false);
  });

  it("tells a request that never left from one whose answer was lost", () => {
    expect(apiErrorFields(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }))).toMatchObject({ notSent: true, noAnswer: false });
    expect(apiErrorFields(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toMatchObject({ notSent: false, noAnswer: true });
    expect(describeEcsError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), ctx).message).toContain("No answer from ECS");
  });

  it("redacts secrets", () => {
    expect(redact("key s3cr3t-value leaked s3cr3t-value", ["s3cr3t-value", undefined])).toBe("key *** leaked ***");
  });
});
