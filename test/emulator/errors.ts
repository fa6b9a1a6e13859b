// An API error as ECS answers it: an HTTP status and a JSON body {RequestId, HostId, Code, Message, Recommend}.
// The SDK picks its error class from these alone: a code containing "Throttling" → ThrottlingError,
// other 4xx → ClientError, 5xx → ServerError.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. x-acs-retry-after on throttling. */
    readonly headers: Record<string, string> = {},
    /** Extra body fields, e.g. AccessDeniedDetail on Forbidden.RAM (the SDK exposes it as accessDeniedDetail). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * The messages the API reference documents for each code (the error-code tables of the six actions). Where a
 * page documents "%s", the emulator fills in what was wrong; everywhere else it answers the fixed text, which
 * names no instance: a client cannot learn from the message which id of a batch failed.
 */
export const MESSAGES = {
  "InvalidInstanceId.NotFound": "The specified InstanceId does not exist.",
  "MissingParameter.InstanceId": "InstanceId should not be null.",
  "InvalidParameter.ToManyInstanceIds": "InstanceId should be less than 100.",
  "InvalidParameter.RenewalStatusInstanceId": "The parameter RenewalStatus and InstanceId can not be both empty.",
  IncorrectInstanceStatus: "The current status of the resource does not support this operation.",
  "ChargeTypeViolation.autoRenew": "Pay-As-You-Go instances do not support this operation.",
  "ChargeTypeViolation.order": "The operation is not permitted due to charge type of the instance.",
  "InvalidPeriodUnit.ValueNotSupported": "The specified parameter PeriodUnit is not valid.",
  "InvalidPriceUnit.ValueNotSupported": "The specified parameter PriceUnit is not valid.",
  "InvalidResourceType.ValueNotSupported": "The specified parameter ResourceType is not valid.",
  InvalidPeriod: "The specified period is not valid.",
  "InvalidPeriod.StarterPackage": "This instance was created by using a Starter Package plan and can only be renewed monthly, not yearly.",
  "InvalidPeriod.ExceededMaximumExpirationDate": "The specified renewal period cannot exceed the maximum expiration date. We recommend you try shortening the renewal period at next attempt.",
  MissingParamter: 'The specified parameter "Period" is not null.',
  IdempotenceParamNotMatch: "Request uses a client token in a previous request but is not identical to that request.",
  "InvalidClientToken.ValueNotSupported": "The ClientToken provided is invalid.",
  LastTokenProcessing: "The last token request is processing.",
  LastOrderProcessing: "The previous order is still processing, please try again later.",
  "Idempotence.Processing": "The previous request is still processing, please try again later.",
  InstanceLockedForSecurity: "The specified operation is denied as your instance is locked for security reasons.",
  "InvalidInstanceChargeType.NotFound": "The InstanceChargeType does not exist in our records",
  "InvalidStatus.NotFound": "The specified Status is not found",
  "InvalidLockReason.NotFound": "The specified LockReason is not found",
  "InvalidTag.Mismatch": "The specified Tag.n.Key and Tag.n.Value are not match.",
  InvalidTagCount: "The specified tags are beyond the permitted range.",
  "InvalidPeriod.ExceededDedicatedHost": "Instance expired date can't exceed dedicated host expired date.",
} as const;

/** An error with its documented message (the code is the table's key up to a "." suffix the emulator adds for variants). */
export function documented(status: number, key: keyof typeof MESSAGES): ApiError {
  const code = key.startsWith("ChargeTypeViolation") ? "ChargeTypeViolation" : key;
  return new ApiError(status, code, MESSAGES[key]);
}

export const notFound = () => documented(404, "InvalidInstanceId.NotFound");

/** Documented with "%s": the message is the id that is not valid. */
export const malformedId = (id: string) => new ApiError(403, "InvalidParameter.InvalidInstanceId", `The specified InstanceId is not valid: ${id}`);

export const missing = (name: string, status = 400) =>
  new ApiError(status, `MissingParameter.${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);

export const internalError = () => new ApiError(500, "InternalError", "The request processing has failed due to some unknown error.");
