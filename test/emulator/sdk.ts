// Test helpers for talking to the emulator the way users do: the unmodified official SDK, and (for what the
// SDK cannot be made to send) requests signed by the SDK's own signer, OpenApiUtil.getAuthorization.
import crypto from "node:crypto";
import Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import { DEFAULT_KEY, type EmulatorKey } from "./index";

export type EcsClient = InstanceType<typeof Ecs>;

/** An SDK client pointed at the emulator, as the provider builds one (endpoint "127.0.0.1:PORT", protocol http). */
export function ecsClient(endpoint: string | { endpoint: string }, key: Partial<EmulatorKey> = DEFAULT_KEY, extra: Record<string, unknown> = {}): EcsClient {
  return new Ecs(
    new $OpenApiUtil.Config({
      accessKeyId: key.accessKeyId ?? DEFAULT_KEY.accessKeyId,
      accessKeySecret: key.accessKeySecret ?? DEFAULT_KEY.accessKeySecret,
      ...(key.securityToken ? { securityToken: key.securityToken } : {}),
      endpoint: typeof endpoint === "string" ? endpoint : endpoint.endpoint,
      protocol: "http",
      regionId: "cn-hangzhou",
      ...extra,
    }),
  );
}

/** What a test asserts about an SDK error (ClientError, ServerError, ThrottlingError, or a network error). */
export interface SdkFailure {
  /** The error class's name: ClientError, ServerError, ThrottlingError, or Error for a network failure. */
  name: string;
  code?: string;
  statusCode?: number;
  /** The error's requestId (a string, "undefined" when the body had none). */
  requestId?: string;
  /** The response body as parsed by the SDK (RequestId, Code, Message, …). */
  data?: Record<string, unknown>;
  message: string;
  retryAfter?: number;
  accessDeniedDetail?: Record<string, unknown>;
}

/** Awaits a call that must fail and returns its error's fields. */
export async function sdkFailure(call: Promise<unknown>): Promise<SdkFailure> {
  try {
    await call;
  } catch (e) {
    const err = e as SdkFailure & Error;
    return {
      name: err.name,
      code: err.code,
      statusCode: err.statusCode,
      requestId: err.requestId,
      data: err.data,
      message: err.message,
      retryAfter: err.retryAfter,
      accessDeniedDetail: err.accessDeniedDetail ?? undefined,
    };
  }
  throw new Error("expected the call to fail, it succeeded");
}

export interface SignedRequest {
  action: string;
  query?: Record<string, string>;
  key?: EmulatorKey;
  method?: string;
  /** Headers to add or override after signing defaults are set (but before signing). */
  headers?: Record<string, string>;
  /** Headers to change after signing (to break the signature on purpose). */
  tamper?: Record<string, string>;
  version?: string | null;
  body?: string;
}

/**
 * Sends one request signed by the SDK's own ACS3-HMAC-SHA256 signer, with the headers the SDK sets. Returns
 * the request's headers too, so a test can send the very same request again (a replay).
 */
export async function signedFetch(url: string, r: SignedRequest): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string>; search: string }> {
  const key = r.key ?? DEFAULT_KEY;
  const body = r.body ?? "";
  const headers: Record<string, string> = {
    host: new URL(url).host,
    "x-acs-action": r.action,
    "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    "x-acs-signature-nonce": crypto.randomBytes(16).toString("hex"),
    accept: "application/json",
    "x-acs-content-sha256": crypto.createHash("sha256").update(body).digest("hex"),
    ...(r.version === null ? {} : { "x-acs-version": r.version ?? "2014-05-26" }),
    ...(key.securityToken ? { "x-acs-accesskey-id": key.accessKeyId, "x-acs-security-token": key.securityToken } : {}),
    ...r.headers,
  };
  const query = r.query ?? {};
  const method = r.method ?? "POST";
  const request = { method, pathname: "/", query, headers } as unknown as Parameters<typeof OpenApiUtil.getAuthorization>[0];
  headers.authorization = OpenApiUtil.getAuthorization(request, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"], key.accessKeyId, key.accessKeySecret);
  Object.assign(headers, r.tamper);
  const search = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return resend(url, method, search, headers, body);
}

/** Sends exactly these headers again. */
export async function resend(url: string, method: string, search: string, headers: Record<string, string>, body = ""): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string>; search: string }> {
  const { host: _host, ...sendable } = headers; // fetch sets host itself, to the same value
  const res = await fetch(`${url}/${search ? `?${search}` : ""}`, { method, headers: sendable, ...(body && method !== "GET" ? { body } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers, search };
}

/** An admin API call (no signature). */
export async function admin<T = unknown>(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}/_emulator/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
  return { status: res.status, body: (await res.json()) as T };
}
