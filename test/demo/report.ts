// The demo's last step: the HTML report of the demo fleet (every product, every region), written by the
// report command as a user runs it. Returns what to tell the reader.
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Emulator } from "../emulator";

const BIN = path.resolve(__dirname, "..", "..", "node_modules", ".bin", "pulumi-alicloud-renewal");

export async function writeHtmlReport(emulator: Emulator, file = path.join(os.tmpdir(), "alicloud-renewal-demo-report.html")): Promise<string> {
  const env = { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret", ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALIBABA_CLOUD_BSS_ENDPOINT: emulator.url, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" };
  const { stderr } = await promisify(execFile)(BIN, ["report", "--all-regions", "--products", "all", "--all", "--format", "html", "--output", file], { env });
  return `${stderr.trim().split("\n").at(-1)}; open file://${file}`;
}
