// An API error as ECS answers it: an HTTP status and a JSON body {RequestId, Code, Message}.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (id: string) => new ApiError(404, "InvalidInstanceId.NotFound", `The specified InstanceId does not exist: ${id}.`);
export const missing = (name: string, status = 400) =>
  new ApiError(status, `MissingParameter.${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
