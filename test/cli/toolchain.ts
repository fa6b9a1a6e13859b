// Which real Pulumi CLI the project runs: a `pulumi` of the pinned version or newer already on PATH, else the
// one built here from Go modules (once per version, into the ignored .pulumi-cli/ folder, reused after).
// Next to a built one goes `pulumi-resource-pulumi-nodejs` from the installed @pulumi/pulumi, which the CLI
// needs for dynamic providers and never downloads.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildPulumi, BuildError, type BuildManifest } from "./go-build";

export const ROOT = path.resolve(__dirname, "..", "..");
/** Everything the CLI builds and writes (binaries, PULUMI_HOME, the file backend): ignored by git. */
export const CLI_DIR = path.join(ROOT, ".pulumi-cli");
/** The folder holding `pulumi-resource-alicloud`, the test double of the alicloud plugin. */
export const PLUGIN_DOUBLE_DIR = path.join(ROOT, "test", "alicloud");

export { BuildError };

export interface Toolchain {
  /** The folder of `pulumi` (and, when built here, of the language host and the dynamic-provider plugin). */
  binDir: string;
  pulumi: string;
  /** As `pulumi version` prints it, without the "v". */
  version: string;
  origin: "path" | "built";
  /** What was built here, when it was. */
  manifest?: BuildManifest;
}

/** The @pulumi/pulumi the workspace installed: the CLI release to match. */
export function pinnedVersion(): string {
  return (require(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json")) as { version: string }).version;
}

function semver(v: string): number[] {
  return v.replace(/^v/, "").split(/[.+-]/).slice(0, 3).map(Number);
}

function atLeast(v: string, min: string): boolean {
  const [a, b] = [semver(v), semver(min)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

function versionOf(pulumi: string): string | undefined {
  const r = spawnSync(pulumi, ["version"], { encoding: "utf8", timeout: 30_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  const v = r.status === 0 ? /v?(\d+\.\d+\.\d+\S*)/.exec(r.stdout)?.[1] : undefined;
  return v;
}

/** A `pulumi` on PATH (outside this project's folders), when its version is at least `min`. */
function fromPath(min: string): Toolchain | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir || path.resolve(dir).startsWith(CLI_DIR) || path.resolve(dir) === PLUGIN_DOUBLE_DIR) continue;
    const pulumi = path.join(dir, "pulumi");
    try {
      fs.accessSync(pulumi, fs.constants.X_OK);
    } catch {
      continue;
    }
    const version = versionOf(pulumi);
    if (version && atLeast(version, min)) return { binDir: dir, pulumi, version, origin: "path" };
    return undefined; // The first pulumi on PATH is the one a user would run; an older one is not used.
  }
  return undefined;
}

export const builtDir = (version: string) => path.join(CLI_DIR, `v${version}`);

/** The build of `version` in .pulumi-cli/, if one is complete. */
function fromCache(version: string): Toolchain | undefined {
  const binDir = path.join(builtDir(version), "bin");
  const manifestFile = path.join(binDir, "build.json");
  if (!fs.existsSync(manifestFile) || !fs.existsSync(path.join(binDir, "pulumi")) || !fs.existsSync(path.join(binDir, "pulumi-language-nodejs"))) return undefined;
  linkDynamicProviderPlugin(binDir);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as BuildManifest;
  return { binDir, pulumi: path.join(binDir, "pulumi"), version: manifest.pulumiVersion, origin: "built", manifest };
}

/** `pulumi-resource-pulumi-nodejs`, a small script at the root of the @pulumi/pulumi package, linked next to the CLI. */
function linkDynamicProviderPlugin(binDir: string): void {
  const link = path.join(binDir, "pulumi-resource-pulumi-nodejs");
  const target = path.relative(binDir, path.join(ROOT, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs"));
  if (fs.existsSync(link) && fs.readlinkSync(link) === target) return;
  fs.rmSync(link, { force: true });
  fs.symlinkSync(target, link);
}

export interface FindOptions {
  /** Build when neither PATH nor the cache has one (default true). */
  build?: boolean;
  say?: (line: string) => void;
}

/** The CLI to run, building it if needed; throws a BuildError (one sentence) when there is none and none can be built. */
export async function findToolchain(options: FindOptions = {}): Promise<Toolchain | undefined> {
  const version = pinnedVersion();
  const found = fromPath(version) ?? fromCache(version);
  if (found || options.build === false) return found;
  const dir = builtDir(version);
  const binDir = path.join(dir, "bin");
  const manifest = await buildPulumi({ version, binDir, workDir: path.join(dir, "go"), say: options.say ?? ((line) => process.stderr.write(`${line}\n`)) });
  const built = versionOf(path.join(binDir, "pulumi"));
  if (built !== version) throw new BuildError(`The Pulumi CLI built in ${binDir} reports version ${built ?? "nothing"} instead of ${version}; delete ${dir} and build again.`);
  fs.writeFileSync(path.join(binDir, "build.json"), JSON.stringify(manifest, null, 2) + "\n");
  return fromCache(version);
}

/** One line saying which CLI, which language host and which plugin double a run uses. */
export function describeToolchain(t: Toolchain): string {
  const where = t.origin === "path" ? `from PATH (${t.pulumi})` : `built here from Go modules (${path.relative(ROOT, t.binDir)})`;
  const host = t.manifest
    ? t.manifest.languageHost.fallbackReason
      ? `pulumi-language-nodejs from ${t.manifest.languageHost.module}@${t.manifest.languageHost.version}, NOT ${t.version}'s own (${t.manifest.languageHost.fallbackReason})`
      : `pulumi-language-nodejs of the same release`
    : "the pulumi-language-nodejs installed with it";
  return `Pulumi CLI v${t.version} ${where}, with ${host}; the alicloud plugin double ${path.relative(ROOT, path.join(PLUGIN_DOUBLE_DIR, "pulumi-resource-alicloud"))} is on PATH`;
}
