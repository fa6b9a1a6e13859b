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

export const notFound = (id: string) => new ApiError(404, "InvalidInstanceId.NotFound", `The specified InstanceId does not exist: ${id}.`);

export const malformedId = (id: string) => new ApiError(403, "InvalidParameter.InvalidInstanceId", `The specified InstanceId is not valid: ${id}.`);

export const missing = (name: string, status = 400) =>
  new ApiError(status, `MissingParameter.${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);

export const chargeTypeViolation = (id: string) =>
  new ApiError(403, "ChargeTypeViolation", `Pay-As-You-Go instances do not support this operation: ${id}.`);

export const internalError = () => new ApiError(500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.");
