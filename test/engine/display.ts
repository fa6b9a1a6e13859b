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
  return step.diffs.map((k) => {
    const o = step.old?.[k];
    const n = step.new?.[k];
    const forces = step.replaces.includes(k);
    if (o === undefined) return `${pad}${forces ? "+-" : "+"} ${k}: ${show(n)}`;
    if (n === undefined) return `${pad}${forces ? "+-" : "-"} ${k}: ${show(o)}`;
    return `${pad}${forces ? "+-" : "~"} ${k}: ${show(o)} => ${show(n)}${forces ? " (forces replacement)" : ""}`;
  });
}

export function summarize(steps: Step[]): Summary {
  const counts: Summary = { create: 0, update: 0, delete: 0, replace: 0, same: 0, read: 0 };
  for (const s of steps) counts[s.op]++;
  return counts;
}

/** One step's line, e.g. `  ~  pulumi-nodejs:dynamic:Resource  web  update  [diff: ~size]`. */
export function stepLine(operation: EngineOperation, step: Step): string {
  // A refresh that finds drift records an update of the state: Pulumi shows it as a refresh.
  const verb = operation === "refresh" && step.op === "update" ? "refresh" : step.op;
  const shown = step.error ? `${verb} failed` : verb;
  const diff = step.diffs.length && step.op !== "create" ? `  [diff: ${step.diffs.map((k) => `${step.replaces.includes(k) ? "+-" : "~"}${k}`).join(", ")}]` : "";
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
    if (step.op === "same" && !step.error) continue;
    lines.push(stepLine(operation, step), ...propertyLines(step));
    if (step.error) lines.push(`      error: ${step.error}`);
  }
  if (diagnostics.length) lines.push("", "Diagnostics:", ...diagnostics.map((d) => `    ${d}`));
  if (outputs && Object.keys(outputs).length && operation !== "preview") {
    lines.push("", "Outputs:");
    for (const [k, v] of Object.entries(outputs)) lines.push(`    ${k}: ${JSON.stringify(v, null, 2).split("\n").join("\n    ")}`);
  }
  const counts = summarize(steps);
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
