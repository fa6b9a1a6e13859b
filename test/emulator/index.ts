// The ECS emulator: a real HTTP server the unmodified official SDK talks to. See README.md here.
import { FaultBook, type FaultKind, type FaultRule } from "./faults";
import { DEMO_FLEET, fleetKeys, loadFleet, readFleet, toRecord, type FleetFile, type FleetInstance, type FleetKey } from "./fleet";
import { ACTIONS, createServer, listen, type CallRecord } from "./server";
import { Authenticator, type EmulatorKey } from "./signature";
import { AccountState, renewalPrice, type Charge, type InstanceRecord, type PriceQuote } from "./state";
import { EMR_ACTIONS } from "./emr";
import { FAMILIES, toFamilyRecord, type FamilyKind, type FamilyRecord, type FleetFamilyEntry } from "./families";

export type { CallRecord, Charge, EmulatorKey, FaultKind, FaultRule, FleetFile, FleetInstance, FleetKey, FamilyKind, FamilyRecord, FleetFamilyEntry, InstanceRecord, PriceQuote };
export { DEMO_FLEET, renewalPrice };

/** The actions the emulator models; any other answers InvalidAction.NotFound (404). */
export const MODELLED_ACTIONS = [...Object.keys(ACTIONS), ...Object.keys(EMR_ACTIONS)];

export interface StartEmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A fleet or the path of a fleet file; default the demo fleet (fleets/demo.json). */
  fleet?: FleetFile | string;
  /** Default [DEFAULT_KEY]. A fleet file's "keys" are added to these. */
  keys?: EmulatorKey[];
  /** Where the clock starts (it then runs with real time); default now. reset() comes back here. */
  now?: Date | string | number;
  /** How long after a RenewInstance reads still show the old expiry; default 500 ms. */
  expiryVisibilityDelayMs?: number;
  /** No per-call log line (the programmatic API is quiet unless `log` is given or quiet is false). */
  quiet?: boolean;
  /** Where the per-call lines go when not quiet; default stderr. */
  log?: (line: string) => void;
}

export interface Emulator {
  /** "127.0.0.1:PORT", for the SDK's Config.endpoint. */
  endpoint: string;
  /** "http://127.0.0.1:PORT". */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Deep copies, as reads show them now. */
  instances(): InstanceRecord[];
  instance(id: string): InstanceRecord | undefined;
  /** Adds or replaces an instance; fleet-file fields such as `expiresInDays` are accepted, missing ones are kept. */
  putInstance(rec: (Partial<InstanceRecord> | FleetInstance) & { instanceId: string }): void;
  removeInstance(id: string): void;
  /** Dedicated hosts, reserved instances, elasticity assurances and EMR clusters (deep copies, as reads show them). */
  families(kind?: FamilyKind): FamilyRecord[];
  family(id: string): FamilyRecord | undefined;
  /** Adds or replaces one: its family's id field (or `id`) and fleet-file fields; missing ones keep the old record's. */
  putFamily(kind: FamilyKind, rec: FleetFamilyEntry): void;
  balance(): number;
  setBalance(n: number): void;
  ledger(): Charge[];
  calls(): CallRecord[];
  clearCalls(): void;
  clock: { now(): Date; set(t: Date | string | number): void; advance(ms: number): void };
  faults: { add(rule: FaultRule): void; clear(): void; list(): FaultRule[] };
  /**
   * Back to the start: the fleet (this one, or the one started with), balance, clock, no ledger, orders,
   * calls or faults. A new epoch: requests that arrived before it still get an answer but change nothing.
   */
  reset(fleet?: FleetFile | string): void;
  /** Resolves once no request is being handled (a test that started slow calls waits here for them). */
  idle(): Promise<void>;
}

export const DEFAULT_KEY: EmulatorKey = { accessKeyId: "LTAIemulator", accessKeySecret: "emulator-secret" };

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const state = new AccountState(options.expiryVisibilityDelayMs ?? 500);
  const startFleet = readFleet(options.fleet);
  const startClock = () => {
    state.clock.reset();
    if (options.now !== undefined) state.clock.set(options.now);
  };
  startClock();
  loadFleet(state, startFleet);
  const faults = new FaultBook();
  const auth = new Authenticator(options.keys ?? [DEFAULT_KEY]);
  auth.setFleetKeys(fleetKeys(startFleet));
  const calls: CallRecord[] = [];
  let epoch = 0;
  const reset = (fleet?: FleetFile | string) => {
    const next = fleet === undefined ? startFleet : readFleet(fleet);
    epoch++;
    startClock();
    loadFleet(state, next);
    faults.clear();
    auth.clear();
    auth.setFleetKeys(fleetKeys(next));
    calls.length = 0;
  };
  const log = options.quiet ? undefined : options.log ?? ((l: string) => void process.stderr.write(`${l}\n`));
  let active = 0;
  let idleWaiters: Array<() => void> = [];
  const onActivity = (delta: 1 | -1) => {
    active += delta;
    if (active > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };
  const server = createServer({ state, faults, calls, auth, log, reset, epoch: () => epoch, onActivity });
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port ?? 0, host);
  return {
    endpoint: `${host}:${port}`,
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    instances: () => {
      state.tick();
      return copy([...state.instances.values()]);
    },
    instance: (id) => {
      state.tick();
      const i = state.visible(id);
      return i && copy(i);
    },
    putInstance: (rec) => {
      state.put(toRecord(rec, state.now(), state.instances.get(rec.instanceId)));
      state.tick();
    },
    removeInstance: (id) => state.remove(id),
    families: (kind) => {
      state.tick();
      return copy([...state.families.values()].filter((r) => kind === undefined || r.kind === kind));
    },
    family: (id) => {
      state.tick();
      const r = state.familyRecord(id);
      return r && copy(r);
    },
    putFamily: (kind, rec) => {
      const id = String(rec[FAMILIES[kind].idField] ?? rec.id);
      state.putFamilyRecord(toFamilyRecord(kind, rec, state.now(), state.familyRecord(id, kind)));
      state.tick();
    },
    balance: () => {
      state.tick();
      return state.balance;
    },
    setBalance: (n) => {
      if (!Number.isFinite(n)) throw new Error(`balance must be a number: ${n}`);
      state.balance = n;
    },
    ledger: () => {
      state.tick();
      return copy(state.ledger);
    },
    calls: () => copy(calls),
    clearCalls: () => {
      calls.length = 0;
    },
    clock: { now: () => state.clock.now(), set: (t) => state.clock.set(t), advance: (ms) => state.clock.advance(ms) },
    faults: { add: (r) => faults.add(r), clear: () => faults.clear(), list: () => faults.list() },
    reset,
    idle: () => (active === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
  };
}
