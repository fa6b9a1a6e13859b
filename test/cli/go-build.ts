// Builds the Pulumi CLI and its Node.js language host from Go modules, each in a throwaway module of its own
// (`go install module@version` refuses Pulumi's modules: their go.mod files carry replace directives).
// Every step is printed as it starts; Go's own output goes to a log file, and a failure becomes one sentence
// naming what is missing or refused and how to get a `pulumi` onto PATH instead.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const CLI_MODULE = "github.com/pulumi/pulumi/pkg/v3";
export const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";
const CLI_PACKAGE = `${CLI_MODULE}/cmd/pulumi`;
/** The language host's own module (since sdk 3.69); it has no version tags, only commits. */
export const LANGUAGE_MODULE = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
/** Until sdk 3.68 the language host was a package inside the sdk module. */
export const LANGUAGE_FALLBACK = { version: "3.68.0", pkg: `${SDK_MODULE}/nodejs/cmd/pulumi-language-nodejs` };
const VERSION_SYMBOL = `${SDK_MODULE}/go/common/version.Version`;

/** The release commit of each CLI version we build (the commit of the `pkg/v3.X.Y` tag the proxy serves). */
export const RELEASE_COMMITS: Record<string, string> = {
  "3.248.0": "dc7edd58bc13179f81b80983aab4eb7f74a01b41",
};

const GET_PULUMI = "or put a pulumi 3.248 or newer on PATH instead (https://www.pulumi.com/docs/iac/download-install/)";

/** A build that cannot go on, in one sentence a user can act on. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildError";
  }
}

export interface LanguageHostOrigin {
  module: string;
  version: string;
  /** Why it is not the language host of the CLI's own release, when it is not. */
  fallbackReason?: string;
}

export interface BuildManifest {
  pulumiVersion: string;
  languageHost: LanguageHostOrigin;
  go: string;
  builtAt: string;
  seconds: { cli: number; languageHost: number };
}

export interface BuildOptions {
  version: string;
  /** The folder that gets `pulumi` and `pulumi-language-nodejs`. */
  binDir: string;
  /** Throwaway modules and the build log live here. */
  workDir: string;
  say: (line: string) => void;
}

function goEnv(): NodeJS.ProcessEnv {
  // GOTOOLCHAIN=local: a module that wants a newer Go fails with a clear error instead of downloading one.
  return { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GOWORK: "off", CGO_ENABLED: "0" };
}

/** `go version`'s answer, or undefined when there is no Go on PATH. */
export function goVersion(): string | undefined {
  const r = spawnSync("go", ["version"], { encoding: "utf8", env: goEnv() });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The proxy's refusal in Go's words, e.g. `403 Forbidden (This module version is not available.)`. */
function refusal(output: string): string | undefined {
  const status = /reading (https?:\/\/\S+): (\d{3} [A-Za-z ]+)/.exec(output);
  if (!status) return undefined;
  const body = /server response: (.+)/.exec(output);
  return `${status[2].trim()}${body ? ` (${body[1].trim()})` : ""} for ${status[1]}`;
}

class Go {
  constructor(
    private readonly log: string,
    private readonly say: (line: string) => void,
  ) {}

  /** Runs go in `cwd`; its output goes to the log. Rejects with the output's last lines. */
  run(cwd: string, args: string[]): Promise<string> {
    fs.appendFileSync(this.log, `\n$ (cd ${cwd} && go ${args.join(" ")})\n`);
    return new Promise((resolve, reject) => {
      const child = spawn("go", args, { cwd, env: goEnv(), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      const take = (chunk: Buffer) => {
        output += chunk.toString();
        fs.appendFileSync(this.log, chunk);
      };
      child.stdout.on("data", take);
      child.stderr.on("data", take);
      child.on("error", (error) => reject(new BuildError(`could not run go: ${error.message}`)));
      child.on("close", (code) => (code === 0 ? resolve(output) : reject(Object.assign(new Error(output), { goOutput: output }))));
    });
  }

  /** One step: printed, timed, and a failure turned into a sentence. */
  async step<T>(title: string, what: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    this.say(`${title} ...`);
    try {
      const result = await work();
      this.say(`${title}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return result;
    } catch (error) {
      if (error instanceof BuildError) throw error;
      const output = (error as { goOutput?: string }).goOutput ?? String(error);
      const refused = refusal(output);
      if (refused) throw new BuildError(`The Go module proxy refused ${what}: ${refused}; set GOPROXY to a proxy that serves it, ${GET_PULUMI}.`);
      const last = output.trim().split("\n").filter((l) => !l.startsWith("go: downloading")).slice(-1)[0] ?? "";
      throw new BuildError(`Building ${what} failed (${last.trim()}); the whole Go output is in ${this.log}; fix that, ${GET_PULUMI}.`);
    }
  }
}

function freshModule(dir: string, name: string, goLine: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "go.mod"), `module ${name}\n\ngo ${goLine}\n`);
}

const ldflags = (version: string) => ["-trimpath", "-tags", "osusergo,grpcnotrace", "-ldflags", `-s -w -X ${VERSION_SYMBOL}=v${version}`];

/** Builds both programs into `binDir` (written under temporary names, renamed once both are whole). */
export async function buildPulumi(options: BuildOptions): Promise<BuildManifest> {
  const { version, binDir, workDir, say } = options;
  const go = goVersion();
  if (!go) throw new BuildError(`Go is not installed (it builds the Pulumi CLI ${version} from Go modules): install Go 1.25.11 or newer (https://go.dev/dl/), ${GET_PULUMI}.`);
  const commit = RELEASE_COMMITS[version];
  if (!commit) throw new BuildError(`No release commit is recorded for Pulumi ${version} in test/cli/go-build.ts (RELEASE_COMMITS): add it, ${GET_PULUMI}.`);
  fs.mkdirSync(binDir, { recursive: true });
  fs.mkdirSync(workDir, { recursive: true });
  const log = path.join(workDir, "build.log");
  fs.writeFileSync(log, `${go}\n`);
  const runner = new Go(log, say);
  say(`Building the Pulumi CLI ${version} from Go modules with ${go} (the first build takes several minutes; output in ${log})`);

  const cliDir = path.join(workDir, "cli");
  const cliStarted = Date.now();
  await runner.step(`  go get ${CLI_MODULE}@v${version} ${SDK_MODULE}@v${version}`, `${CLI_MODULE}@v${version}`, async () => {
    freshModule(cliDir, "pulumi-cli-build", "1.25.11");
    await runner.run(cliDir, ["get", `${CLI_MODULE}@v${version}`, `${SDK_MODULE}@v${version}`]);
    await runner.run(cliDir, ["get", "-tool", `${CLI_PACKAGE}@v${version}`]);
  });
  await runner.step(`  go build ${CLI_PACKAGE} (the longest step)`, `the Pulumi CLI ${version}`, () =>
    runner.run(cliDir, ["build", ...ldflags(version), "-o", path.join(binDir, "pulumi.partial"), CLI_PACKAGE]),
  );
  const cliSeconds = (Date.now() - cliStarted) / 1000;

  const langDir = path.join(workDir, "language");
  const langStarted = Date.now();
  const language = await runner.step(`  go list -m ${LANGUAGE_MODULE}@${commit.slice(0, 12)} (the language host of ${version})`, `${LANGUAGE_MODULE}@${commit}`, async () => {
    freshModule(langDir, "pulumi-language-build", "1.25.11");
    try {
      await runner.run(langDir, ["list", "-m", `${LANGUAGE_MODULE}@${commit}`]);
      return { module: LANGUAGE_MODULE, version: commit, pkg: LANGUAGE_MODULE, stamp: version };
    } catch (error) {
      const refused = refusal((error as { goOutput?: string }).goOutput ?? "");
      if (!refused) throw error;
      const fallbackReason = `the Go module proxy refuses ${LANGUAGE_MODULE}@${commit} (${refused})`;
      say(`  NOTE: ${fallbackReason};`);
      say(`        building the newest Node.js language host it serves instead: ${SDK_MODULE}@v${LANGUAGE_FALLBACK.version}`);
      return { module: SDK_MODULE, version: `v${LANGUAGE_FALLBACK.version}`, pkg: LANGUAGE_FALLBACK.pkg, stamp: LANGUAGE_FALLBACK.version, fallbackReason };
    }
  });
  await runner.step(`  go get ${language.module}@${language.version}`, `${language.module}@${language.version}`, async () => {
    if (language.fallbackReason) freshModule(langDir, "pulumi-language-build", "1.20");
    const modules = language.fallbackReason ? [`${SDK_MODULE}@v${LANGUAGE_FALLBACK.version}`] : [`${CLI_MODULE}@v${version}`, `${SDK_MODULE}@v${version}`, `${LANGUAGE_MODULE}@${commit}`];
    await runner.run(langDir, ["get", ...modules]);
  });
  await runner.step(`  go build ${language.pkg}`, `the Node.js language host (${language.module}@${language.version})`, () =>
    runner.run(langDir, ["build", ...ldflags(language.stamp), "-o", path.join(binDir, "pulumi-language-nodejs.partial"), language.pkg]),
  );
  const langSeconds = (Date.now() - langStarted) / 1000;

  for (const name of ["pulumi", "pulumi-language-nodejs"]) fs.renameSync(path.join(binDir, `${name}.partial`), path.join(binDir, name));
  return {
    pulumiVersion: version,
    languageHost: { module: language.module, version: language.version, ...(language.fallbackReason ? { fallbackReason: language.fallbackReason } : {}) },
    go,
    builtAt: new Date().toISOString(),
    seconds: { cli: Math.round(cliSeconds), languageHost: Math.round(langSeconds) },
  };
}
