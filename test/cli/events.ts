// The engine event log the real CLI writes with `--event-log FILE` (enabled by PULUMI_DEBUG_COMMANDS, as the
// automation API does), read into the same step shape the local engine reports, so the two can be compared.
// Provider resources (`pulumi:providers:*`) are left out: the local engine has none (test/engine/README.md).
import fs from "node:fs";
import type { Step, StepOp, Summary } from "../engine";

interface StateMetadata {
  type: string;
  urn: string;
  id?: string;
  parent?: string;
  custom?: boolean;
  protect?: boolean;
  retainOnDelete?: boolean;
  inputs?: Record<string, unknown> | null;
  outputs?: Record<string, unknown> | null;
  initErrors?: string[];
}

interface StepMetadata {
  op: string;
  urn: string;
  type: string;
  old?: StateMetadata | null;
  new?: StateMetadata | null;
  keys?: string[];
  diffs?: string[];
  detailedDiff?: Record<string, unknown> | null;
}

export interface EngineEventRecord {
  sequence: number;
  diagnosticEvent?: { urn?: string; prefix?: string; message: string; severity: string; ephemeral?: boolean };
  resourcePreEvent?: { metadata: StepMetadata; planning?: boolean };
  resOutputsEvent?: { metadata: StepMetadata; planning?: boolean };
  resOpFailedEvent?: { metadata: StepMetadata; status: number; steps: number };
  summaryEvent?: { resourceChanges: Record<string, number>; isPreview: boolean; result?: string; maybeCorrupt: boolean };
  stdoutEvent?: { message: string };
  cancelEvent?: Record<string, never>;
}

export function readEventLog(file: string): EngineEventRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EngineEventRecord);
}

const isProvider = (type: string) => type.startsWith("pulumi:providers:");
const visible = (o: Record<string, unknown> | null | undefined) => Object.keys(o ?? {}).filter((k) => !k.startsWith("__"));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The keys the CLI names in `[diff: ...]`: top-level inputs that differ (internal `__` keys left out), kept to
 * the keys the provider reported when it reported any (backend/display/rows.go, getDiffInfo).
 */
export function diffKeys(olds: Record<string, unknown> | null | undefined, news: Record<string, unknown> | null | undefined, reported: string[] = []): string[] {
  const keys = [...new Set([...visible(olds), ...visible(news)])].filter((k) => !same(olds?.[k], news?.[k]));
  return (reported.length ? keys.filter((k) => reported.includes(k)) : keys).sort();
}

const OPS: Record<string, StepOp> = {
  create: "create",
  update: "update",
  delete: "delete",
  same: "same",
  read: "read",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  "discard-replaced": "replace",
  "read-replacement": "read",
};

/**
 * One step per resource, as the local engine reports them. A refresh is told by its outcome: the CLI announces
 * each read as op "refresh" and reports what it found (same, update, delete) in the read's outputs event.
 */
export function stepsOf(events: EngineEventRecord[]): Step[] {
  const steps = new Map<string, Step>();
  const refreshing = new Set<string>();
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata ?? e.resOutputsEvent?.metadata ?? e.resOpFailedEvent?.metadata;
    if (!m || isProvider(m.type)) continue;
    const name = m.urn.split("::").pop()!;
    if (e.resourcePreEvent && m.op === "refresh") {
      refreshing.add(m.urn);
      continue;
    }
    if (e.resOutputsEvent && refreshing.has(m.urn) && !steps.has(`refresh ${m.urn}`)) {
      // `pulumi refresh` names the outcome (update, delete); `up --refresh` leaves it "refresh": compare.
      const diffs = m.new ? diffKeys(m.old?.outputs, m.new.outputs) : [];
      const op: StepOp = m.op === "delete" || !m.new ? "delete" : diffs.length ? "update" : "same";
      steps.set(`refresh ${m.urn}`, { op, urn: m.urn, type: m.type, name, diffs, replaces: [], old: m.old?.outputs ?? undefined, new: m.new?.outputs ?? undefined, refresh: true });
      continue;
    }
    let step = steps.get(m.urn);
    if (!step && e.resourcePreEvent) {
      const op = OPS[m.op] ?? (m.op as StepOp);
      // The short diff also names a change of `protect`, even on an unchanged resource.
      const protect = m.old && m.new && !!m.old.protect !== !!m.new.protect ? ["protect"] : [];
      const diffs = op === "update" || op === "replace" ? [...diffKeys(m.old?.inputs, m.new?.inputs, m.diffs), ...protect].sort() : op === "same" ? protect : [];
      step = { op, urn: m.urn, type: m.type, name, diffs, replaces: op === "replace" ? [...(m.keys ?? [])].sort() : [], old: m.old?.inputs ?? undefined, new: m.new?.inputs ?? undefined };
      steps.set(m.urn, step);
    }
    if (step && e.resOpFailedEvent) step.error = `failed with status ${e.resOpFailedEvent.status}`;
  }
  return [...steps.values()];
}

export function summaryOf(steps: Step[]): Summary {
  const counts: Summary = { create: 0, update: 0, delete: 0, replace: 0, same: 0, read: 0 };
  for (const s of steps) counts[s.op]++;
  return counts;
}

/** What the program and the providers said (warnings, errors, console output), without the CLI's debug chatter. */
export function diagnosticsOf(events: EngineEventRecord[]): string[] {
  return events
    .map((e) => e.diagnosticEvent)
    .filter((d): d is NonNullable<EngineEventRecord["diagnosticEvent"]> => !!d && d.severity !== "debug" && !d.ephemeral)
    .map((d) => `${d.severity === "info" ? "" : `${d.severity}: `}${d.message.trimEnd()}`);
}
