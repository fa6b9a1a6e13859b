// A Pulumi project directory as the CLI reads it: Pulumi.yaml (name, runtime, main, project-level config)
// and Pulumi.<stack>.yaml. `secure:` values are taken in plain form: tests keep no real secrets, and the
// engine has no secrets provider to decrypt with.
import fs from "node:fs";
import path from "node:path";

export interface Project {
  dir: string;
  name: string;
  /** The program's entry file. */
  main: string;
  /** Config keyed `namespace:key`; values are strings (objects and arrays JSON-encoded), as Pulumi passes them. */
  config: Record<string, string>;
  /** Keys whose value was given as `secure:` or declared `secret: true`. */
  secretKeys: string[];
}

function loadYaml(file: string): unknown {
  return (require("js-yaml") as { load(text: string): unknown }).load(fs.readFileSync(file, "utf8"));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The file `main` names, or the folder's package.json main, or its index.ts / index.js, as the Node language host does. */
function resolveMain(dir: string, main: string | undefined): string {
  const target = path.resolve(dir, main ?? ".");
  if (fs.existsSync(target) && fs.statSync(target).isFile()) return target;
  const pkg = path.join(target, "package.json");
  if (fs.existsSync(pkg)) {
    const entry = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { main?: string }).main;
    if (entry) {
      for (const candidate of [entry, `${entry}.ts`, `${entry}.js`]) {
        const file = path.join(target, candidate);
        if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
      }
    }
  }
  for (const candidate of ["index.ts", "index.js"]) {
    if (fs.existsSync(path.join(target, candidate))) return path.join(target, candidate);
  }
  throw new Error(`no program found in ${target} (expected index.ts, index.js or a package.json main)`);
}

const asConfigString = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

export function loadProject(dir: string, stack: string, overrides: Record<string, string> = {}): Project {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no Pulumi.yaml in ${dir}`);
  const doc = loadYaml(file);
  if (!isObject(doc) || typeof doc.name !== "string") throw new Error(`${file}: "name" is required`);
  const runtime = isObject(doc.runtime) ? doc.runtime.name : doc.runtime;
  if (runtime !== "nodejs") throw new Error(`${file}: runtime "${String(runtime)}" is not supported; the local engine runs nodejs programs`);
  const name = doc.name;
  const qualify = (key: string) => (key.includes(":") ? key : `${name}:${key}`);
  const config: Record<string, string> = {};
  const secretKeys = new Set<string>();

  // Project-level config: `key: {default|value, secret}` or, for namespaced keys, a plain value.
  for (const [key, spec] of Object.entries(isObject(doc.config) ? doc.config : {})) {
    const k = qualify(key);
    if (isObject(spec)) {
      if (spec.secret === true) secretKeys.add(k);
      const value = "value" in spec ? spec.value : spec.default;
      if (value !== undefined) config[k] = asConfigString(value);
    } else if (spec !== null && spec !== undefined) {
      config[k] = asConfigString(spec);
    }
  }

  const stackFile = ["yaml", "yml"].map((ext) => path.join(dir, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f));
  const stackDoc = stackFile ? loadYaml(stackFile) : undefined;
  const stackConfig = isObject(stackDoc) && isObject(stackDoc.config) ? stackDoc.config : {};
  for (const [key, value] of Object.entries(stackConfig)) {
    const k = qualify(key);
    if (isObject(value) && "secure" in value) {
      config[k] = asConfigString(value.secure);
      secretKeys.add(k);
    } else {
      config[k] = asConfigString(value);
    }
  }
  for (const [key, value] of Object.entries(overrides)) config[qualify(key)] = value;
  return { dir, name, main: resolveMain(dir, typeof doc.main === "string" ? doc.main : undefined), config, secretKeys: [...secretKeys] };
}
