// Renders a run the way the Pulumi CLI prints one: a line per step that does something, property lines
// for what changes (keys starting with `__` hidden, unknowns as `output<string>`), diagnostics, stack
// outputs and the resource summary.
import { UNKNOWN } from "./values";

export type EngineOperation = "preview" | "up" | "refresh" | "destroy";
export type StepOp = "create" | "update" | "delete" | "replace" | "same" | "read";

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** Input keys that change (for a refresh: output keys that drifted). */
  diffs: string[];
  /** Keys whose change forces a replacement. */
  replaces: string[];
  old?: Record<string, unknown>;
  new?: Record<string, unknown>;
  error?: string;
  /** A read of the refresh (`pulumi refresh`, or the one `up --refresh` does first): what it found in the cloud. */
  refresh?: boolean;
}

export type Summary = Record<StepOp, number>;

const SYMBOL: Record<StepOp, string> = { create: "+", update: "~", delete: "-", replace: "+-", same: " ", read: ">" };
const FUTURE: Record<StepOp, string> = { create: "to create", update: "to update", delete: "to delete", replace: "to replace", same: "unchanged", read: "to read" };
const PAST: Record<StepOp, string> = { create: "created", update: "updated", delete: "deleted", replace: "replaced", same: "unchanged", read: "read" };
const TITLE: Record<EngineOperation, string> = { preview: "Previewing update", up: "Updating", refresh: "Refreshing", destroy: "Destroying" };

const visible = (o: Record<string, unknown> = {}) => Object.keys(o).filter((k) => !k.startsWith("__"));

function show(v: unknown): string {
  if (v === UNKNOWN) return "output<string>";
  return JSON.stringify(v, (_k, x) => (x === UNKNOWN ? "output<string>" : x)) ?? "undefined";
}

/** Keys whose values differ, `__` keys hidden. */
export function changedKeys(olds: Record<string, unknown> = {}, news: Record<string, unknown> = {}): string[] {
  const keys = new Set([...visible(olds), ...visible(news)]);
  return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}

function propertyLines(step: Step): string[] {
  const pad = "      ";
  if (step.op === "create") return visible(step.new).sort().map((k) => `${pad}+ ${k}: ${show(step.new![k])}`);
  if (step.op === "delete" || step.op === "read") return [];
  // `protect` is named in the step's short diff, not among its properties.
  return step.diffs.filter((k) => k in (step.old ?? {}) || k in (step.new ?? {})).map((k) => {
    const o = step.old?.[k];
    const n = step.new?.[k];
    const forces = step.replaces.includes(k);
    if (o === undefined) return `${pad}${forces ? "+-" : "+"} ${k}: ${show(n)}`;
    if (n === undefined) return `${pad}${forces ? "+-" : "-"} ${k}: ${show(o)}`;
    return `${pad}${forces ? "+-" : "~"} ${k}: ${show(o)} => ${show(n)}${forces ? " (forces replacement)" : ""}`;
  });
}

/** Counts by op; the reads an `up --refresh` does first are not counted, as Pulumi does not count them. */
export function summarize(steps: Step[], operation: EngineOperation = "up"): Summary {
  const counts: Summary = { create: 0, update: 0, delete: 0, replace: 0, same: 0, read: 0 };
  for (const s of steps) if (operation === "refresh" || !s.refresh) counts[s.op]++;
  return counts;
}

/** The CLI's short diff: added, deleted, then changed keys, each group once, e.g. `+tag~size,zone` (display/rows.go). */
function shortDiff(step: Step): string {
  const has = (o: Record<string, unknown> | undefined, k: string) => !!o && k in o;
  const adds = step.diffs.filter((k) => !has(step.old, k) && has(step.new, k));
  const deletes = step.diffs.filter((k) => has(step.old, k) && !has(step.new, k));
  const updates = step.diffs.filter((k) => !adds.includes(k) && !deletes.includes(k));
  return ([["+", adds], ["-", deletes], ["~", updates]] as const)
    .filter(([, keys]) => keys.length)
    .map(([prefix, keys]) => prefix + [...keys].sort().join(","))
    .join("");
}

/** One step's line, e.g. `  ~  pulumi-nodejs:dynamic:Resource  web  update  [diff: ~size]`. */
export function stepLine(operation: EngineOperation, step: Step): string {
  // A refresh that finds drift records an update of the state: Pulumi shows it as a refresh.
  const verb = (operation === "refresh" || step.refresh) && step.op === "update" ? "refresh" : step.op;
  const shown = step.error ? `${verb} failed` : step.op === "same" ? "" : verb;
  const diff = step.diffs.length && step.op !== "create" ? `  [diff: ${shortDiff(step)}]` : "";
  return `  ${SYMBOL[step.op].padEnd(2)} ${step.type}  ${step.name}  ${shown}${diff}`;
}

export interface Rendered {
  operation: EngineOperation;
  stack: string;
  steps: Step[];
  diagnostics: string[];
  outputs?: Record<string, unknown>;
  error?: string;
}

export function render({ operation, stack, steps, diagnostics, outputs, error }: Rendered): string {
  const lines = [`${TITLE[operation]} (${stack})`, ""];
  for (const step of steps) {
    // An unchanged resource is shown only when its options changed (`[diff: ~protect]`), as the CLI does.
    if (step.op === "same" && !step.error && !step.diffs.length) continue;
    lines.push(stepLine(operation, step), ...propertyLines(step));
    if (step.error) lines.push(`      error: ${step.error}`);
  }
  if (diagnostics.length) lines.push("", "Diagnostics:", ...diagnostics.map((d) => `    ${d}`));
  if (outputs && Object.keys(outputs).length && operation !== "preview") {
    lines.push("", "Outputs:");
    for (const [k, v] of Object.entries(outputs)) lines.push(`    ${k}: ${JSON.stringify(v, null, 2).split("\n").join("\n    ")}`);
  }
  const counts = summarize(steps, operation);
  const words = operation === "preview" ? FUTURE : PAST;
  lines.push("", "Resources:");
  for (const op of ["create", "update", "delete", "replace"] as const) {
    // Pulumi pads the symbol to two characters: "+ 1 to create", "+-1 to replace".
    if (counts[op]) lines.push(`    ${SYMBOL[op].padEnd(2)}${counts[op]} ${words[op]}`);
  }
  if (counts.same) lines.push(`    ${counts.same} unchanged`);
  if (error) lines.push("", `error: ${error}`);
  return lines.join("\n") + "\n";
}
