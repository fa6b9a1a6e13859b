// The ECS emulator: a real HTTP server the unmodified official SDK talks to. See README.md here.
import { FaultBook, type FaultRule } from "./faults";
import { loadFleet, readFleet, toRecord, type FleetFile, type FleetInstance } from "./fleet";
import { createServer, listen, type CallRecord } from "./server";
import type { EmulatorKey } from "./signature";
import { AccountState, type Charge, type InstanceRecord } from "./state";

export type { CallRecord, Charge, EmulatorKey, FaultRule, FleetFile, FleetInstance, InstanceRecord };
export { DEMO_FLEET } from "./fleet";

export interface StartEmulatorOptions {
  port?: number;
  host?: string;
  fleet?: FleetFile | string;
  keys?: EmulatorKey[];
  now?: Date | string | number;
  expiryVisibilityDelayMs?: number;
  /** No per-call log line on stderr (the default for the programmatic API). */
  quiet?: boolean;
  log?: (line: string) => void;
}

export interface Emulator {
  endpoint: string;
  url: string;
  port: number;
  close(): Promise<void>;
  instances(): InstanceRecord[];
  instance(id: string): InstanceRecord | undefined;
  /** Adds or replaces an instance; fleet-file fields such as `expiresInDays` are accepted. */
  putInstance(rec: (Partial<InstanceRecord> | FleetInstance) & { instanceId: string }): void;
  removeInstance(id: string): void;
  balance(): number;
  setBalance(n: number): void;
  ledger(): Charge[];
  calls(): CallRecord[];
  clearCalls(): void;
  clock: { now(): Date; set(t: Date | string | number): void; advance(ms: number): void };
  faults: { add(rule: FaultRule): void; clear(): void; list(): FaultRule[] };
  reset(fleet?: FleetFile | string): void;
}

export const DEFAULT_KEY: EmulatorKey = { accessKeyId: "LTAIemulator", accessKeySecret: "emulator-secret" };

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const state = new AccountState(options.expiryVisibilityDelayMs ?? 500);
  if (options.now !== undefined) state.clock.set(options.now);
  loadFleet(state, readFleet(options.fleet));
  const faults = new FaultBook();
  const calls: CallRecord[] = [];
  const core = { state, faults, calls, keys: options.keys ?? [DEFAULT_KEY], log: options.quiet ? undefined : options.log ?? ((l: string) => process.stderr.write(`${l}\n`)) };
  const server = createServer(core);
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port ?? 0, host);
  return {
    endpoint: `${host}:${port}`,
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
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
    putInstance: (rec) => state.put(toRecord(rec, state.now(), state.instances.get(rec.instanceId))),
    removeInstance: (id) => state.remove(id),
    balance: () => state.balance,
    setBalance: (n) => {
      state.balance = n;
    },
    ledger: () => copy(state.ledger),
    calls: () => copy(calls),
    clearCalls: () => {
      calls.length = 0;
    },
    clock: { now: () => state.clock.now(), set: (t) => state.clock.set(t), advance: (ms) => state.clock.advance(ms) },
    faults: { add: (r) => faults.add(r), clear: () => faults.clear(), list: () => faults.list() },
    reset: (fleet) => {
      state.clock.reset();
      loadFleet(state, readFleet(fleet));
      faults.clear();
      calls.length = 0;
    },
  };
}
