// The checkpoint: one JSON file per stack, rewritten atomically after every completed step so that an
// interrupted `up` loses nothing that was done.
import fs from "node:fs";
import path from "node:path";

export interface ResourceState {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  parent?: string;
  dependencies: string[];
  propertyDependencies?: Record<string, string[]>;
  /** Provider reference (`urn::id`) of a resource with an explicit provider. */
  provider?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  /** Read with `Resource.get`: never created or deleted by this stack. */
  external?: boolean;
  /** Created but failed to initialize; the next `up` updates it even when nothing changed. */
  initErrors?: string[];
  /** The old half of a create-before-delete replacement, still to be deleted. */
  delete?: boolean;
}

/** A provider call that had started when the checkpoint was written; it may or may not have happened. */
export interface PendingOperation {
  urn: string;
  type: string;
  op: "creating" | "updating" | "deleting";
}

export interface Checkpoint {
  version: 1;
  project: string;
  stack: string;
  resources: ResourceState[];
  pendingOperations?: PendingOperation[];
  outputs?: Record<string, unknown>;
}

export function readCheckpoint(file: string, project: string, stack: string): Checkpoint {
  if (!fs.existsSync(file)) return { version: 1, project, stack, resources: [] };
  let checkpoint: Checkpoint;
  try {
    checkpoint = JSON.parse(fs.readFileSync(file, "utf8")) as Checkpoint;
  } catch (error) {
    throw new Error(`state file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (checkpoint.version !== 1 || !Array.isArray(checkpoint.resources)) throw new Error(`state file ${file} is not a version 1 checkpoint`);
  return checkpoint;
}

/**
 * Each write goes to a temporary file that is then renamed over the checkpoint, so the file is always
 * whole. Steps that finish within a few milliseconds of each other share one write: `save` resolves once
 * a write that includes its checkpoint is on disk, and a large stack does not rewrite the whole file once
 * per resource (1000 resources made that 1000 writes of a few megabytes). The gathering window grows
 * with the cost of a write (at least four times the last one), so writing keeps to a fifth of the run
 * however large the stack is.
 */
/** What writing the checkpoint cost a run: the benchmark reads it to see where the time of a large stack goes. */
export interface CheckpointStats {
  writes: number;
  /** Milliseconds spent serializing and writing (the engine's event loop is blocked meanwhile). */
  totalMs: number;
  maxMs: number;
  lastBytes: number;
}

export class CheckpointWriter {
  readonly stats: CheckpointStats = { writes: 0, totalMs: 0, maxMs: 0, lastBytes: 0 };
  private latest?: () => Checkpoint;
  private scheduled?: Promise<void>;
  private seq = 0;
  private lastFlushMs = 0;
  constructor(
    private readonly file: string,
    private readonly gatherMs = 20,
  ) {}

  save(checkpoint: Checkpoint | (() => Checkpoint)): Promise<void> {
    this.latest = typeof checkpoint === "function" ? checkpoint : () => checkpoint;
    this.scheduled ??= new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        this.scheduled = undefined;
        try {
          this.flush();
          resolve();
        } catch (error) {
          reject(error);
        }
      }, Math.max(this.gatherMs, 4 * this.lastFlushMs)),
    );
    return this.scheduled;
  }

  private flush(): void {
    const next = this.latest;
    if (!next) return;
    this.latest = undefined;
    const started = performance.now();
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
    const text = JSON.stringify(next());
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, this.file);
    this.lastFlushMs = performance.now() - started;
    this.stats.writes++;
    this.stats.totalMs += this.lastFlushMs;
    this.stats.maxMs = Math.max(this.stats.maxMs, this.lastFlushMs);
    this.stats.lastBytes = text.length;
  }
}
