// A Pulumi project directory as the CLI reads it: Pulumi.yaml (name, runtime, main) and
// Pulumi.<stack>.yaml config. `secure:` values are taken in plain form (tests keep no real secrets).
import fs from "node:fs";
import path from "node:path";

export interface Project {
  dir: string;
  name: string;
  /** The program's entry: a file or a folder (its package.json main, or index.ts / index.js). */
  main: string;
  /** Config keyed `namespace:key`, values as strings (objects JSON-encoded), as the engine passes them. */
  config: Record<string, string>;
  secretKeys: string[];
}

function yaml(): { load(text: string): unknown } {
  return require("js-yaml");
}

function resolveMain(dir: string, main: string | undefined): string {
  const target = path.resolve(dir, main ?? ".");
  if (fs.existsSync(target) && fs.statSync(target).isFile()) return target;
  const pkg = path.join(target, "package.json");
  if (fs.existsSync(pkg)) {
    const entry = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { main?: string }).main;
    if (entry && fs.existsSync(path.join(target, entry))) return path.join(target, entry);
  }
  for (const candidate of ["index.ts", "index.js"]) {
    if (fs.existsSync(path.join(target, candidate))) return path.join(target, candidate);
  }
  throw new Error(`no program found in ${target}`);
}

export function loadProject(dir: string, stack: string, overrides: Record<string, string> = {}): Project {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no Pulumi.yaml in ${dir}`);
  const doc = yaml().load(fs.readFileSync(file, "utf8")) as { name: string; main?: string };
  const name = doc.name;
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const qualify = (key: string) => (key.includes(":") ? key : `${name}:${key}`);
  const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(stackFile)) {
    const stackDoc = (yaml().load(fs.readFileSync(stackFile, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    for (const [key, value] of Object.entries(stackDoc.config ?? {})) {
      const k = qualify(key);
      if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
        config[k] = String((value as { secure: unknown }).secure);
        secretKeys.push(k);
      } else {
        config[k] = typeof value === "string" ? value : JSON.stringify(value);
      }
    }
  }
  for (const [key, value] of Object.entries(overrides)) config[qualify(key)] = value;
  return { dir, name, main: resolveMain(dir, doc.main), config, secretKeys };
}
