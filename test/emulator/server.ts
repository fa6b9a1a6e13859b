// The HTTP front: ECS RPC calls as the official SDK sends them (POST /, parameters in the query,
// x-acs-action, ACS3-HMAC-SHA256), and the admin API under /_emulator/ for tests in other processes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describeInstanceAttribute } from "./actions/describe-instance-attribute";
import { describeInstanceAutoRenewAttribute } from "./actions/describe-instance-auto-renew-attribute";
import { describeInstances } from "./actions/describe-instances";
import { describeRenewalPrice } from "./actions/describe-renewal-price";
import { modifyInstanceAutoRenewAttribute } from "./actions/modify-instance-auto-renew-attribute";
import { renewInstance } from "./actions/renew-instance";
import type { Action, ActionContext } from "./actions/common";
import { ApiError } from "./errors";
import { FaultBook, type FaultRule } from "./faults";
import { loadFleet, readFleet, toRecord, type FleetFile } from "./fleet";
import { parseQuery, verifySignature, type EmulatorKey } from "./signature";
import { AccountState, requestId, type Charge, type InstanceRecord } from "./state";

export const ACTIONS: Record<string, Action> = {
  DescribeInstanceAutoRenewAttribute: describeInstanceAutoRenewAttribute,
  ModifyInstanceAutoRenewAttribute: modifyInstanceAutoRenewAttribute,
  DescribeInstances: describeInstances,
  DescribeInstanceAttribute: describeInstanceAttribute,
  RenewInstance: renewInstance,
  DescribeRenewalPrice: describeRenewalPrice,
};

export interface CallRecord {
  time: string;
  action: string;
  instanceIds: string[];
  accessKeyId?: string;
  /** "ok" or the error code answered ("dropped" when the connection was cut). */
  outcome: string;
  httpStatus?: number;
  requestId: string;
  clientToken?: string;
  fault?: string;
}

export interface EmulatorCore {
  state: AccountState;
  faults: FaultBook;
  calls: CallRecord[];
  keys: EmulatorKey[];
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ids a request names, read before the action runs (for fault rules and the call log). */
function namedIds(action: string, params: Map<string, string>): string[] {
  if (action === "DescribeInstances") {
    try {
      const ids = JSON.parse(params.get("InstanceIds") ?? "[]");
      return Array.isArray(ids) ? ids.map(String) : [];
    } catch {
      return [];
    }
  }
  const raw = params.get(action === "DescribeRenewalPrice" ? "ResourceId" : "InstanceId") ?? "";
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

async function handleApi(core: EmulatorCore, req: http.IncomingMessage, res: http.ServerResponse, rawQuery: string, body: Buffer): Promise<void> {
  const id = requestId();
  const params = parseQuery(rawQuery);
  const action = (req.headers["x-acs-action"] as string | undefined) ?? params.get("Action") ?? "";
  const record: CallRecord = { time: core.state.clock.now().toISOString(), action, instanceIds: namedIds(action, params), outcome: "ok", requestId: id };
  if (action === "RenewInstance") record.clientToken = params.get("ClientToken");
  core.calls.push(record);
  const answerError = (e: ApiError) => {
    record.outcome = e.code;
    record.httpStatus = e.status;
    send(res, e.status, { RequestId: id, HostId: "ecs.aliyuncs.com", Code: e.code, Message: e.message, Recommend: `https://api.aliyun.com/troubleshoot?q=${e.code}` }, e.headers);
  };
  try {
    if (req.method !== "POST" && req.method !== "GET") throw new ApiError(400, "UnsupportedHTTPMethod", `HTTP method ${req.method} is not supported.`);
    const key = verifySignature(req.method, "/", params, req.headers, body, core.keys);
    record.accessKeyId = key.accessKeyId;
    if (req.headers["x-acs-version"] !== undefined && req.headers["x-acs-version"] !== "2014-05-26") {
      throw new ApiError(400, "InvalidVersion", `Specified parameter Version is not valid: ${req.headers["x-acs-version"]}.`);
    }
    const run = ACTIONS[action];
    if (!run) throw new ApiError(404, "InvalidAction.NotFound", `Specified api is not found, please check your url and method: ${action}.`);

    const decision = core.faults.decide(action, record.instanceIds);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const fault = decision.outcome;
    if (fault) record.fault = fault.kind;
    if (fault?.kind === "drop") {
      record.outcome = "dropped";
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "throttle") {
      throw new ApiError(400, "Throttling.User", "Request was denied due to user flow control.", { "x-acs-retry-after": "200" });
    }
    if (fault?.kind === "error") {
      throw new ApiError(fault.status ?? (fault.code === "ServiceUnavailable" ? 503 : 500), fault.code ?? "InternalError", "The request processing has failed due to some unknown error, exception or failure.");
    }

    // Time moves once per request: expiry, release and auto-renew deductions are applied before the action.
    core.state.tick();
    const ctx: ActionContext = { state: core.state, params, key, action, instanceIds: record.instanceIds };
    const result = run(ctx);
    record.instanceIds = ctx.instanceIds;
    if (ctx.clientToken !== undefined) record.clientToken = ctx.clientToken;
    if (fault?.kind === "apply-then-fail") {
      // The change is made; the caller never learns it.
      if (fault.drop || fault.code === "drop") {
        record.outcome = "dropped";
        req.socket.destroy();
        return;
      }
      throw new ApiError(fault.status ?? 500, fault.code ?? "InternalError", "The request processing has failed due to some unknown error, exception or failure.");
    }
    send(res, 200, { RequestId: id, ...result });
  } catch (error) {
    if (error instanceof ApiError) answerError(error);
    else answerError(new ApiError(500, "InternalError", `emulator error: ${(error as Error).message}`));
  } finally {
    core.log?.(`${record.action || "?"} ${record.instanceIds.slice(0, 3).join(",")}${record.instanceIds.length > 3 ? ",…" : ""} → ${record.outcome}${record.fault ? ` [${record.fault}]` : ""}`);
  }
}

async function handleAdmin(core: EmulatorCore, method: string, path: string, body: Buffer, res: http.ServerResponse): Promise<void> {
  const json = () => (body.length ? JSON.parse(body.toString("utf8")) : undefined);
  const state = core.state;
  state.tick();
  const route = `${method} ${path}`;
  if (route === "GET instances") return send(res, 200, [...state.instances.values()]);
  if (route === "GET ledger") return send(res, 200, state.ledger);
  if (route === "GET calls") return send(res, 200, core.calls);
  if (route === "DELETE calls") {
    core.calls.length = 0;
    return send(res, 200, {});
  }
  if (route === "GET balance") return send(res, 200, { balance: state.balance });
  if (route === "POST balance") {
    state.balance = Number(json().balance);
    return send(res, 200, { balance: state.balance });
  }
  if (route === "POST instances") {
    const input = json();
    for (const i of Array.isArray(input) ? input : [input]) state.put(toRecord(i, state.now(), state.instances.get(i.instanceId)));
    return send(res, 200, {});
  }
  if (method === "DELETE" && path.startsWith("instances/")) {
    state.remove(decodeURIComponent(path.slice("instances/".length)));
    return send(res, 200, {});
  }
  if (route === "GET faults") return send(res, 200, core.faults.list());
  if (route === "POST faults") {
    const input = json();
    for (const rule of Array.isArray(input) ? input : [input]) core.faults.add(rule as FaultRule);
    return send(res, 200, core.faults.list());
  }
  if (route === "DELETE faults") {
    core.faults.clear();
    return send(res, 200, {});
  }
  if (route === "POST clock") {
    const input = json();
    if (input.now !== undefined) state.clock.set(input.now);
    if (input.advanceMs !== undefined) state.clock.advance(Number(input.advanceMs));
    return send(res, 200, { now: state.clock.now().toISOString() });
  }
  if (route === "GET clock") return send(res, 200, { now: state.clock.now().toISOString() });
  if (route === "POST reset") {
    const input = json();
    state.clock.reset();
    loadFleet(state, readFleet(input ?? undefined));
    core.faults.clear();
    core.calls.length = 0;
    return send(res, 200, {});
  }
  send(res, 404, { error: `no admin route ${route}` });
}

export function createServer(core: EmulatorCore): http.Server {
  return http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const pathname = q < 0 ? url : url.slice(0, q);
      const rawQuery = q < 0 ? "" : url.slice(q + 1);
      if (pathname.startsWith("/_emulator/")) {
        try {
          await handleAdmin(core, req.method ?? "GET", pathname.slice("/_emulator/".length), body, res);
        } catch (error) {
          send(res, 400, { error: (error as Error).message });
        }
        return;
      }
      await handleApi(core, req, res, rawQuery, body);
    })();
  });
}

export type { Charge, FleetFile, InstanceRecord };

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
