// The local engine's programmatic entry: `runEngine("up", { cwd, stack })` runs a Pulumi project the way
// `pulumi up` would, in this process (runs take turns: the SDK's runtime state is process-wide), with the
// real dynamic-provider host as a child process.
import { ecsInstanceHandler } from "./alicloud";
import type { EngineOperation } from "./display";
import { execute, type EngineOptions, type EngineResult } from "./engine";
import { registerResourceHandler } from "./handlers";

export type { EngineOperation, Step, StepOp, Summary } from "./display";
export type { EngineEvent, EngineOptions, EngineResult } from "./engine";
export type { Checkpoint, ResourceState } from "./state";
export { defaultParallel, defaultStateFile, UNBOUNDED } from "./engine";
export { registerResourceHandler, unregisterResourceHandler, type HandlerContext, type ResourceHandler } from "./handlers";
export { startProviderHost, HostError, type ProviderHost } from "./host";
export { UNKNOWN } from "./values";

// The examples declare their instance next to its renewal; the emulator plays the cloud.
registerResourceHandler("alicloud:ecs/instance:Instance", ecsInstanceHandler);

export type RunEngineOptions = EngineOptions;

export function runEngine(operation: EngineOperation, options: RunEngineOptions): Promise<EngineResult> {
  return execute(operation, options);
}
