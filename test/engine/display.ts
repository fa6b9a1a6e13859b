// Renders steps the way the Pulumi CLI does: an op line per resource, property lines for what changes,
// diagnostics, and the resource summary.
export type StepOp = "create" | "update" | "delete" | "replace" | "same";
export type EngineOperation = "preview" | "up" | "refresh" | "destroy";

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** Input keys that change (for refresh: output keys that drifted). */
  diffs: string[];
  replaces: string[];
  old?: Record<string, unknown>;
  new?: Record<string, unknown>;
  error?: string;
}

const SYMBOL: Record<StepOp, string> = { create: "+", update: "~", delete: "-", replace: "+-", same: " " };
const FUTURE: Record<StepOp, string> = { create: "to create", update: "to update", delete: "to delete", replace: "to replace", same: "unchanged" };
const PAST: Record<StepOp, string> = { create: "created", update: "updated", delete: "deleted", replace: "replaced", same: "unchanged" };

const visible = (o: Record<string, unknown> = {}) => Object.keys(o).filter((k) => !k.startsWith("__"));
const show = (v: unknown) => (v === "04da6b54-80e4-46f7-96ec-b56ff0331ba9" ? "output<string>" : JSON.stringify(v));

/** Keys whose values differ, `__` keys hidden. */
export function changedKeys(olds: Record<string, unknown> = {}, news: Record<string, unknown> = {}): string[] {
  const keys = new Set([...visible(olds), ...visible(news)]);
  return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}

function propertyLines(step: Step): string[] {
  const pad = "      ";
  if (step.op === "create") return visible(step.new).sort().map((k) => `${pad}+ ${k}: ${show(step.new![k])}`);
  if (step.op === "delete") return [];
  return step.diffs.map((k) => {
    const o = step.old?.[k];
    const n = step.new?.[k];
    const mark = step.replaces.includes(k) ? "+-" : o === undefined ? "+" : n === undefined ? "-" : "~";
    if (o === undefined) return `${pad}${mark} ${k}: ${show(n)}`;
    if (n === undefined) return `${pad}${mark} ${k}: ${show(o)}`;
    return `${pad}${mark} ${k}: ${show(o)} => ${show(n)}${step.replaces.includes(k) ? " (forces replacement)" : ""}`;
  });
}

export function summarize(steps: Step[]): Record<StepOp, number> {
  const counts: Record<StepOp, number> = { create: 0, update: 0, delete: 0, replace: 0, same: 0 };
  for (const s of steps) counts[s.op]++;
  return counts;
}

export function render(op: EngineOperation, stack: string, steps: Step[], diagnostics: string[], outputs: Record<string, unknown> | undefined, error?: string): string {
  const planning = op === "preview";
  const title = { preview: "Previewing update", up: "Updating", refresh: "Refreshing", destroy: "Destroying" }[op];
  const lines = [`${title} (${stack})`, ""];
  for (const step of steps) {
    if (step.op === "same" && !step.error) continue;
    const verb = step.error ? `${step.op} failed` : step.op;
    const diff = step.diffs.length && step.op !== "create" ? `  [diff: ${step.diffs.map((k) => `${step.replaces.includes(k) ? "+-" : "~"}${k}`).join(", ")}]` : "";
    lines.push(`  ${SYMBOL[step.op].padEnd(2)} ${step.type}  ${step.name}  ${verb}${diff}`);
    lines.push(...propertyLines(step));
    if (step.error) lines.push(`      error: ${step.error}`);
  }
  if (diagnostics.length) {
    lines.push("", "Diagnostics:");
    for (const d of diagnostics) lines.push(`    ${d}`);
  }
  if (outputs && Object.keys(outputs).length && !planning) {
    lines.push("", "Outputs:");
    for (const [k, v] of Object.entries(outputs)) lines.push(`    ${k}: ${JSON.stringify(v, null, 2).split("\n").join("\n    ")}`);
  }
  const counts = summarize(steps);
  const words = planning ? FUTURE : PAST;
  lines.push("", "Resources:");
  for (const k of ["create", "update", "replace", "delete"] as StepOp[]) {
    if (counts[k]) lines.push(`    ${SYMBOL[k]} ${counts[k]} ${words[k]}`);
  }
  if (counts.same) lines.push(`    ${counts.same} unchanged`);
  if (error) lines.push("", `error: ${error}`);
  return lines.join("\n") + "\n";
}
