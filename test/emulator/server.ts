// The HTTP front: ECS RPC calls as the official SDK sends them (POST /, parameters in the query,
// x-acs-action, ACS3-HMAC-SHA256), and the admin API under /_emulator/ for tests in other processes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describeInstanceAttribute } from "./actions/describe-instance-attribute";
import { describeInstanceAutoRenewAttribute } from "./actions/describe-instance-auto-renew-attribute";
import { describeInstances } from "./actions/describe-instances";
import { describeRegions } from "./actions/describe-regions";
import { describeRenewalPrice } from "./actions/describe-renewal-price";
import { modifyInstanceAutoRenewAttribute } from "./actions/modify-instance-auto-renew-attribute";
import { renewInstance } from "./actions/renew-instance";
import { describeDedicatedHostAutoRenew, describeDedicatedHosts, modifyDedicatedHostAutoRenewAttribute, renewDedicatedHosts } from "./actions/dedicated-hosts";
import { describeElasticityAssuranceAutoRenewAttribute, describeElasticityAssurances, modifyElasticityAssuranceAutoRenewAttribute, renewElasticityAssurances } from "./actions/elasticity-assurances";
import { describeReservedInstanceAutoRenewAttribute, describeReservedInstances, modifyReservedInstanceAutoRenewAttribute, renewReservedInstances } from "./actions/reserved-instances";
import { EMR_ACTIONS, EMR_VERSION } from "./emr";
import { type Action, type ActionContext } from "./actions/common";
import { BSS_ACTIONS, BSS_VERSION } from "./bss";
import { ApiError, internalError } from "./errors";
import { defaultStatus, FaultBook, type FaultRule } from "./faults";
import { readFleet, toRecord, type FleetFile } from "./fleet";
import { forbidden, permits } from "./ram";
import { Authenticator, parseAuthorization, parseQuery } from "./signature";
import { AccountState, requestId } from "./state";
import { FAMILIES, FAMILY_KINDS, toFamilyRecord, type FamilyKind, type FleetFamilyEntry } from "./families";

export const ACTIONS: Record<string, Action> = {
  DescribeInstanceAutoRenewAttribute: describeInstanceAutoRenewAttribute,
  ModifyInstanceAutoRenewAttribute: modifyInstanceAutoRenewAttribute,
  DescribeInstances: describeInstances,
  DescribeInstanceAttribute: describeInstanceAttribute,
  RenewInstance: renewInstance,
  DescribeRenewalPrice: describeRenewalPrice,
  DescribeDedicatedHosts: describeDedicatedHosts,
  DescribeDedicatedHostAutoRenew: describeDedicatedHostAutoRenew,
  ModifyDedicatedHostAutoRenewAttribute: modifyDedicatedHostAutoRenewAttribute,
  RenewDedicatedHosts: renewDedicatedHosts,
  DescribeReservedInstances: describeReservedInstances,
  DescribeReservedInstanceAutoRenewAttribute: describeReservedInstanceAutoRenewAttribute,
  ModifyReservedInstanceAutoRenewAttribute: modifyReservedInstanceAutoRenewAttribute,
  RenewReservedInstances: renewReservedInstances,
  DescribeElasticityAssurances: describeElasticityAssurances,
  DescribeElasticityAssuranceAutoRenewAttribute: describeElasticityAssuranceAutoRenewAttribute,
  ModifyElasticityAssuranceAutoRenewAttribute: modifyElasticityAssuranceAutoRenewAttribute,
  RenewElasticityAssurances: renewElasticityAssurances,
  DescribeRegions: describeRegions,
};

export const API_VERSION = "2014-05-26";

/** Actions that answer an identity without the permission with an empty list instead of Forbidden.RAM. */
const LISTS_WHEN_DENIED = new Set(["DescribeInstances"]);

/** The products this server answers, by the API version a request names (x-acs-version). */
const PRODUCTS: Record<string, { actions: Record<string, Action>; host: string; name: string; ramAction: (action: string) => string }> = {
  [API_VERSION]: { actions: ACTIONS, host: "ecs.aliyuncs.com", name: "Ecs", ramAction: (a) => `ecs:${a}` },
  // QueryAvailableInstances is authorized as bss:DescribeInstances (its API reference's authorization table).
  [BSS_VERSION]: { actions: BSS_ACTIONS, host: "business.aliyuncs.com", name: "BssOpenApi", ramAction: () => "bss:DescribeInstances" },
  [EMR_VERSION]: { actions: EMR_ACTIONS, host: "emr.aliyuncs.com", name: "Emr", ramAction: (a) => `emr:${a}` },
};

export interface CallRecord {
  /** ISO time on the emulator's clock. */
  time: string;
  action: string;
  instanceIds: string[];
  /** The key the request claimed ("" without a readable Authorization). */
  accessKeyId: string;
  /** "ok", the error code answered, or "dropped" when the connection was cut without an answer. */
  outcome: string;
  /** 200, the error status, or 0 when dropped. */
  httpStatus: number;
  requestId: string;
  clientToken?: string;
  /** The fault rule kind that hit the call, if any. */
  fault?: string;
}

export interface EmulatorCore {
  state: AccountState;
  faults: FaultBook;
  calls: CallRecord[];
  auth: Authenticator;
  log?: (line: string) => void;
  /** Puts the account back as started (POST reset). */
  reset: (fleet?: FleetFile | string) => void;
  /** Counts resets: a request belongs to the epoch it arrived in and never touches a later one. */
  epoch: () => number;
  /** Told when a request starts (+1) and when it has been answered or dropped (-1). */
  onActivity?: (delta: 1 | -1) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ids a request names, read before the action runs (for fault rules and the call log). */
function namedIds(action: string, params: Map<string, string>): string[] {
  if (action === "DescribeInstances") {
    try {
      const ids: unknown = JSON.parse(params.get("InstanceIds") ?? "[]");
      return Array.isArray(ids) ? ids.map(String) : [];
    } catch {
      return [];
    }
  }
  // The other families name ids in lists of their own: `DedicatedHostIds` (comma-joined or a JSON array),
  // `ReservedInstanceId.N`, `PrivatePoolOptions.Id.N`; EMR names one ClusterId.
  const listed = [...params].filter(([k]) => /^(ReservedInstanceId|PrivatePoolOptions\.Id)\.\d+$/.test(k)).map(([, v]) => v);
  if (listed.length) return listed;
  const raw = params.get(action === "DescribeRenewalPrice" ? "ResourceId" : action === "QueryAvailableInstances" ? "InstanceIDs" : params.has("DedicatedHostIds") ? "DedicatedHostIds" : params.has("ClusterId") ? "ClusterId" : "InstanceId") ?? "";
  if (raw.trim().startsWith("[")) {
    try {
      const ids: unknown = JSON.parse(raw);
      return Array.isArray(ids) ? ids.map(String) : [];
    } catch {
      return [];
    }
  }
  return raw.split(",").map((s) => s.trim()).filter(Boolean);
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json;charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Cuts the connection without an answer, as a lost response looks to the client. */
function drop(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.socket?.destroy();
  req.socket.destroy();
}

const FAULT_MESSAGE = "The request processing has failed due to some unknown error, exception or failure.";

function faultError(rule: FaultRule, retryAfterMs?: number): ApiError {
  const code = rule.code && rule.code !== "drop" ? rule.code : "InternalError";
  const status = rule.status ?? defaultStatus(code);
  const throttled = code.includes("Throttling");
  const headers: Record<string, string> = throttled ? { "x-acs-retry-after": String(retryAfterMs ?? rule.retryAfterMs ?? 1000) } : {};
  const message = throttled ? "Request was denied due to user flow control." : code === "ServiceUnavailable" ? "The request has failed due to a temporary failure of the server." : FAULT_MESSAGE;
  return new ApiError(status, code, message, headers);
}

/** The answer to a request that outlived a reset: the account it was made against is gone. */
const staleError = () => new ApiError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");

async function handleApi(core: EmulatorCore, req: http.IncomingMessage, res: http.ServerResponse, rawQuery: string, body: Buffer, epoch: number): Promise<void> {
  const stale = () => core.epoch() !== epoch;
  const id = requestId();
  let heldToken: string | undefined;
  const started = Date.now();
  let query = new Map<string, string>();
  let malformed: unknown;
  try {
    query = parseQuery(rawQuery);
  } catch (error) {
    malformed = error; // answered below, once the call is on record
  }
  // RPC also takes parameters in a form body; the query (what the SDK uses) wins.
  const params = new Map(query);
  if (String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) if (!params.has(k)) params.set(k, v);
  }
  const action = (req.headers["x-acs-action"] as string | undefined) ?? params.get("Action") ?? "";
  const record: CallRecord = {
    time: core.state.clock.now().toISOString(),
    action,
    instanceIds: namedIds(action, params),
    accessKeyId: parseAuthorization(req.headers.authorization)?.accessKeyId ?? "",
    outcome: "ok",
    httpStatus: 200,
    requestId: id,
  };
  if (action === "RenewInstance" && params.get("ClientToken")) record.clientToken = params.get("ClientToken");
  // A request from before a reset is not on the new epoch's record.
  if (!stale()) core.calls.push(record);
  const answerError = (e: ApiError) => {
    record.outcome = e.code;
    record.httpStatus = e.status;
    const product = PRODUCTS[(req.headers["x-acs-version"] as string | undefined) ?? params.get("Version") ?? ""] ?? PRODUCTS[API_VERSION];
    send(res, e.status, { RequestId: id, HostId: product.host, Code: e.code, Message: e.message, Recommend: `https://api.aliyun.com/troubleshoot?q=${e.code}&product=${product.name}`, ...e.body }, e.headers);
  };
  try {
    if (malformed) throw malformed;
    if (req.method !== "POST" && req.method !== "GET") throw new ApiError(400, "UnsupportedHTTPMethod", `HTTP method ${req.method} is not supported; use POST.`);
    const key = core.auth.verify(req.method, "/", query, req.headers, body);
    const version = (req.headers["x-acs-version"] as string | undefined) ?? params.get("Version");
    if (!version) throw new ApiError(400, "MissingParameter.Version", "The input parameter \"Version\" that is mandatory for processing this request is not supplied.");
    const product = PRODUCTS[version];
    if (!product) throw new ApiError(400, "InvalidVersion", `Specified parameter Version is not valid: ${version}; ECS is ${API_VERSION}, BSS ${BSS_VERSION}, EMR ${EMR_VERSION}.`);
    const run = product.actions[action];
    if (!run) throw new ApiError(404, "InvalidAction.NotFound", `Specified api is not found, please check your url and method: ${action || "(no action)"}.`);
    // RAM is decided before the request is looked at, as the gateway does.
    const permitted = permits(key, product.ramAction(action));
    if (!permitted && !LISTS_WHEN_DENIED.has(action)) throw forbidden(key, product.ramAction(action));

    if (stale()) throw staleError();
    // A RenewInstance client token is held by its first request until that one is answered (see renew-instance.ts).
    const token = action === "RenewInstance" ? params.get("ClientToken") || undefined : undefined;
    if (token && !core.state.tokensInFlight.has(token)) {
      core.state.tokensInFlight.set(token, id);
      heldToken = token;
    }
    const decision = core.faults.decide(action, record.instanceIds);
    if (decision.latencyMs > 0) {
      record.fault = "latency";
      await sleep(decision.latencyMs);
      // Reset while it waited: answer, but change nothing in the account the reset made.
      if (stale()) throw staleError();
    }
    const fault = decision.outcome;
    if (fault) record.fault = fault.kind;
    if (fault?.kind === "drop") {
      record.outcome = "dropped";
      record.httpStatus = 0;
      return drop(req, res);
    }
    if (fault?.kind === "throttle") throw faultError({ ...fault, code: "Throttling.User", status: 400 }, decision.retryAfterMs);
    if (fault?.kind === "error") throw faultError(fault);

    // Time moves once per request: expiry, release and auto-renew deductions are applied before the action.
    core.state.tick();
    const ctx: ActionContext = { state: core.state, params, key, action, requestId: id, denied: !permitted, instanceIds: record.instanceIds };
    try {
      const result = run(ctx);
      if (fault?.kind === "apply-then-fail") {
        // The change is made and recorded; the caller never learns it.
        if (fault.drop || fault.code === "drop") {
          record.outcome = "dropped";
          record.httpStatus = 0;
          return drop(req, res);
        }
        throw faultError(fault);
      }
      send(res, 200, { RequestId: id, ...result });
    } finally {
      record.instanceIds = ctx.instanceIds;
      if (ctx.clientToken !== undefined) record.clientToken = ctx.clientToken;
    }
  } catch (error) {
    answerError(error instanceof ApiError ? error : Object.assign(internalError(), { message: `emulator error: ${(error as Error).message}` }));
  } finally {
    if (heldToken && core.state.tokensInFlight.get(heldToken) === id) core.state.tokensInFlight.delete(heldToken);
    const ids = record.instanceIds;
    core.log?.(
      `${new Date().toISOString().slice(11, 23)} ${record.action || "?"} ${ids.slice(0, 3).join(",")}${ids.length > 3 ? `,…(${ids.length})` : ""} → ${record.outcome}${record.httpStatus && record.httpStatus !== 200 ? ` ${record.httpStatus}` : ""}${record.fault ? ` [${record.fault}]` : ""} ${Date.now() - started}ms`,
    );
  }
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseJson(body: Buffer): unknown {
  if (!body.length) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new AdminError(400, "the body is not JSON");
  }
}

async function handleAdmin(core: EmulatorCore, method: string, path: string, body: Buffer, res: http.ServerResponse): Promise<void> {
  const state = core.state;
  state.tick();
  const input = parseJson(body) as Record<string, unknown> | Record<string, unknown>[] | undefined;
  const one = () => {
    if (!input || typeof input !== "object" || Array.isArray(input)) throw new AdminError(400, "expected a JSON object");
    return input;
  };
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET instances":
      return send(res, 200, [...state.instances.values()]);
    case "POST instances": {
      if (!input || typeof input !== "object") throw new AdminError(400, "expected an instance record or an array of them");
      const list = (Array.isArray(input) ? input : [input]) as Array<{ instanceId: string }>;
      const now = state.now();
      const records = list.map((i) => toRecord(i, now, state.instances.get(i.instanceId))); // all valid, or none applied
      for (const r of records) state.put(r);
      state.tick();
      return send(res, 200, records.map((r) => state.instances.get(r.instanceId) ?? null));
    }
    case "GET families":
      return send(res, 200, [...state.families.values()]);
    case "POST families": {
      // {"kind": "dedicatedHost", "dedicatedHostId": "dh-…", …}, or an array of them; all valid or none applied.
      if (!input || typeof input !== "object") throw new AdminError(400, "expected a family record or an array of them");
      const list = (Array.isArray(input) ? input : [input]) as Array<FleetFamilyEntry & { kind: FamilyKind }>;
      const now = state.now();
      const records = list.map((r) => {
        if (!FAMILY_KINDS.includes(r.kind)) throw new AdminError(400, `kind must be one of ${FAMILY_KINDS.join(", ")}`);
        return toFamilyRecord(r.kind, r, now, state.familyRecord(String(r[FAMILIES[r.kind].idField] ?? r.id), r.kind));
      });
      for (const r of records) state.putFamilyRecord(r);
      state.tick();
      return send(res, 200, records.map((r) => state.familyRecord(r.id) ?? null));
    }
    case "GET ledger":
      return send(res, 200, state.ledger);
    case "GET calls":
      return send(res, 200, core.calls);
    case "DELETE calls":
      core.calls.length = 0;
      return send(res, 200, {});
    case "GET balance":
      return send(res, 200, { balance: state.balance });
    case "POST balance": {
      const balance = Number(one().balance);
      if (!Number.isFinite(balance)) throw new AdminError(400, 'expected {"balance": number}');
      state.balance = balance;
      return send(res, 200, { balance });
    }
    case "GET faults":
      return send(res, 200, core.faults.list());
    case "POST faults": {
      if (!input || typeof input !== "object") throw new AdminError(400, "expected a fault rule or an array of them");
      const rules = (Array.isArray(input) ? input : [input]) as unknown as FaultRule[];
      for (const rule of rules) core.faults.add(rule);
      return send(res, 200, core.faults.list());
    }
    case "DELETE faults":
      core.faults.clear();
      return send(res, 200, {});
    case "GET clock":
      return send(res, 200, { now: state.clock.now().toISOString() });
    case "POST clock": {
      const c = one();
      if (c.now === undefined && c.advanceMs === undefined) throw new AdminError(400, 'expected {"now": iso} or {"advanceMs": n}');
      if (c.now !== undefined) state.clock.set(c.now as string | number);
      if (c.advanceMs !== undefined) state.clock.advance(Number(c.advanceMs));
      return send(res, 200, { now: state.clock.now().toISOString() });
    }
    case "POST reset":
      core.reset(input === undefined ? undefined : (readFleet(input as unknown as FleetFile) as FleetFile));
      return send(res, 200, { now: state.clock.now().toISOString(), balance: state.balance, instances: state.instances.size });
  }
  if (path.startsWith("instances/")) {
    const id = decodeURIComponent(path.slice("instances/".length));
    if (method === "GET") {
      const inst = state.instances.get(id);
      return inst ? send(res, 200, inst) : send(res, 404, { error: `no instance ${id}` });
    }
    if (method === "DELETE") {
      const existed = state.instances.has(id);
      state.remove(id);
      return send(res, existed ? 200 : 404, existed ? {} : { error: `no instance ${id}` });
    }
  }
  throw new AdminError(404, `no admin route ${route}`);
}

export function createServer(core: EmulatorCore): http.Server {
  const server = http.createServer((req, res) => {
    const epoch = core.epoch();
    core.onActivity?.(1);
    void (async () => {
      try {
        const body = await readBody(req);
        const url = req.url ?? "/";
        const q = url.indexOf("?");
        const pathname = q < 0 ? url : url.slice(0, q);
        if (pathname.startsWith("/_emulator/")) {
          try {
            await handleAdmin(core, req.method ?? "GET", pathname.slice("/_emulator/".length), body, res);
          } catch (error) {
            send(res, error instanceof AdminError ? error.status : 400, { error: (error as Error).message });
          }
          return;
        }
        await handleApi(core, req, res, q < 0 ? "" : url.slice(q + 1), body, epoch);
      } catch {
        // The client went away mid-request; nothing to answer.
        if (!res.headersSent) res.destroy();
      } finally {
        core.onActivity?.(-1);
      }
    })();
  });
  return server;
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
