// The environment the real CLI runs in: offline and project-local unless the caller says otherwise.
// PATH leads with the alicloud plugin double and the CLI's folder; PULUMI_HOME and a file backend live in
// the ignored .pulumi-cli/ folder; a passphrase is set so stacks need no prompt; no update check and no
// plugin downloads. A caller's own PULUMI_BACKEND_URL and passphrase (or any of these) win.
import path from "node:path";
import { CLI_DIR, PLUGIN_DOUBLE_DIR, type Toolchain } from "./toolchain";

/** The passphrase of stacks made by `npm run pulumi-cli` and the tests: they hold no real secret. */
export const LOCAL_PASSPHRASE = "pulumi-alicloud-renewal-local";

export interface CliPaths {
  /** PULUMI_HOME (plugins, workspace settings). */
  home: string;
  /** The file backend's folder (stacks and their checkpoints). */
  backend: string;
}

export const defaultPaths = (): CliPaths => ({ home: path.join(CLI_DIR, "home"), backend: path.join(CLI_DIR, "state") });

export function cliEnvironment(toolchain: Toolchain, base: NodeJS.ProcessEnv = process.env, paths: CliPaths = defaultPaths()): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  const unlessSet = (key: string, value: string) => {
    if (env[key] === undefined || env[key] === "") env[key] = value;
  };
  env.PATH = [PLUGIN_DOUBLE_DIR, toolchain.binDir, base.PATH ?? ""].join(path.delimiter);
  unlessSet("PULUMI_HOME", paths.home);
  unlessSet("PULUMI_BACKEND_URL", `file://${paths.backend}`);
  if (env.PULUMI_CONFIG_PASSPHRASE === undefined && !env.PULUMI_CONFIG_PASSPHRASE_FILE) env.PULUMI_CONFIG_PASSPHRASE = LOCAL_PASSPHRASE;
  unlessSet("PULUMI_SKIP_UPDATE_CHECK", "true");
  unlessSet("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true");
  return env;
}
