// Selects the language-host front (README.md beside this file) for one project: its Pulumi.yaml names this
// folder as the `nodejs` language plugin, which the CLI prefers over PATH. Meant for scratch copies of a
// project: it rewrites the project file in place.
import fs from "node:fs";
import path from "node:path";

export const LANGUAGE_HOST_FRONT = __dirname;

export function useLanguageHostFront(projectDir: string): void {
  const yaml: { load(text: string): unknown; dump(value: unknown): string } = require("js-yaml");
  const file = path.join(projectDir, "Pulumi.yaml");
  const project = yaml.load(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  const plugins = (project.plugins ?? {}) as { languages?: Array<{ name: string; path: string }> };
  plugins.languages = [...(plugins.languages ?? []).filter((l) => l.name !== "nodejs"), { name: "nodejs", path: LANGUAGE_HOST_FRONT }];
  fs.writeFileSync(file, yaml.dump({ ...project, plugins }));
}
