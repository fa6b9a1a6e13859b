// The checkpoint: one JSON file per stack, rewritten atomically as steps complete so that an interrupted `up`
// loses nothing that was done, and beside it a journal of the provider calls that change something, each
// recorded before it starts, so that an interrupted run leaves a record of what may or may not have happened.
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
  /** The last journal entry this checkpoint reflects (as one of its pendingOperations, or done). */
  journal?: number;
}

/** One line of the journal: a provider call about to start. */
interface JournalEntry extends PendingOperation {
  seq: number;
}

/** The journal of `file`: JSON lines, appended before each call that changes something, emptied as checkpoints catch up. */
export const journalFile = (file: string) => `${file}.journal`;

function readJournal(file: string): JournalEntry[] {
  if (!fs.existsSync(journalFile(file))) return [];
  return fs
    .readFileSync(journalFile(file), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as JournalEntry];
      } catch {
        return []; // A line cut short by a crash: its call never started.
      }
    })
    .filter((e, i, all) => all.findIndex((x) => x.seq === e.seq) === i);
}

/** The checkpoint, with the calls the journal recorded after it as pending: they were in flight when the run ended. */
export function readCheckpoint(file: string, project: string, stack: string): Checkpoint {
  let checkpoint: Checkpoint = { version: 1, project, stack, resources: [] };
  if (fs.existsSync(file)) {
    try {
      checkpoint = JSON.parse(fs.readFileSync(file, "utf8")) as Checkpoint;
    } catch (error) {
      throw new Error(`state file ${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (checkpoint.version !== 1 || !Array.isArray(checkpoint.resources)) throw new Error(`state file ${file} is not a version 1 checkpoint`);
  }
  const later = readJournal(file).filter((e) => e.seq > (checkpoint.journal ?? 0));
  if (later.length) checkpoint.pendingOperations = [...(checkpoint.pendingOperations ?? []), ...later.map(({ seq: _seq, ...op }) => op)];
  return checkpoint;
}

/** What writing the checkpoint cost a run: the benchmark reads it to see where the time of a large stack goes. */
export interface CheckpointStats {
  writes: number;
  /** Milliseconds the engine's event loop was blocked by writes (serializing; the file is written asynchronously). */
  totalMs: number;
  maxMs: number;
  lastBytes: number;
}

/**
 * Writes the checkpoint and its journal.
 *
 * The checkpoint: each write goes to a temporary file that is then renamed over it, so the file is always
 * whole. Steps that finish close together share one write: `save` resolves once a write that includes its
 * checkpoint is on disk, one write at a time, in order. The gathering window grows with the cost of a write
 * (at least four times the last one), so writing keeps to a fifth of the run however large the stack is. A
 * write blocks the engine only for joining the resources' JSON: each entry is serialized once (entries are
 * replaced, never changed in place) and the file is written asynchronously.
 *
 * The journal: `journal(op)` appends one line and resolves once it is on disk (calls journaled within the
 * same turn share one append). A call need not wait for a whole checkpoint to start. With every call waiting
 * for one, a 10000-resource update waited about a second per call for the next 23 MB write; calls reached
 * the provider in waves one write apart, the serial Checks stalled behind each wave, and the provider's
 * batches of 100 went out part full (119 calls where 100 would do). Once a checkpoint that reflects a
 * journal entry is on disk, the entry is dropped.
 */
export class CheckpointWriter {
  readonly stats: CheckpointStats = { writes: 0, totalMs: 0, maxMs: 0, lastBytes: 0 };
  private latest?: () => Checkpoint;
  private scheduled?: Promise<void>;
  private writing: Promise<void> = Promise.resolve();
  private readonly entries = new WeakMap<ResourceState, string>();
  private seq = 0;
  private lastFlushMs = 0;
  /** Journal entries no checkpoint on disk reflects yet, and the ones waiting for the next append. */
  private unreflected: JournalEntry[];
  private queued: JournalEntry[] = [];
  private appended?: Promise<void>;
  private journaling: Promise<void> = Promise.resolve();
  private journalSeq: number;

  constructor(
    private readonly file: string,
    private readonly gatherMs = 20,
  ) {
    // A journal left by an interrupted run is kept until a checkpoint of this run reflects it.
    this.unreflected = readJournal(file);
    this.journalSeq = Math.max(0, ...this.unreflected.map((e) => e.seq));
  }

  /** Records a call about to start; resolves once the record is on disk. */
  journal(op: PendingOperation): Promise<void> {
    this.queued.push({ seq: ++this.journalSeq, ...op });
    this.appended ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        const lines = this.queued;
        this.queued = [];
        this.appended = undefined;
        this.unreflected.push(...lines);
        this.journaling = this.journaling
          .then(() => fs.promises.mkdir(path.dirname(this.file), { recursive: true }))
          .then(() => fs.promises.appendFile(journalFile(this.file), lines.map((l) => `${JSON.stringify(l)}\n`).join("")))
          .then(resolve, reject);
      }),
    );
    return this.appended;
  }

  /** The journal entry the next checkpoint reflects: every call journaled so far is pending in it, or done. */
  get journalPosition(): number {
    return this.journalSeq;
  }

  save(checkpoint: Checkpoint | (() => Checkpoint)): Promise<void> {
    this.latest = typeof checkpoint === "function" ? checkpoint : () => checkpoint;
    this.scheduled ??= new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        this.scheduled = undefined;
        this.writing = this.writing.then(() => this.flush()).then(resolve, reject);
      }, Math.max(this.gatherMs, 4 * this.lastFlushMs)),
    );
    return this.scheduled;
  }

  /** The checkpoint as JSON, each resource entry from the cache when that entry was written before. */
  private serialize(checkpoint: Checkpoint): string {
    const { resources, version, project, stack, ...tail } = checkpoint;
    const entry = (r: ResourceState) => {
      let json = this.entries.get(r);
      if (json === undefined) this.entries.set(r, (json = JSON.stringify(r)));
      return json;
    };
    const head = JSON.stringify({ version, project, stack }).slice(0, -1);
    const after = JSON.stringify(tail).slice(1);
    return `${head},"resources":[${resources.map(entry).join(",")}]${after === "}" ? "}" : `,${after}`}`;
  }

  private async flush(): Promise<void> {
    const next = this.latest;
    if (!next) return;
    this.latest = undefined;
    const started = performance.now();
    const checkpoint = next();
    const reflected = checkpoint.journal ?? 0;
    const text = this.serialize(checkpoint);
    const blocked = performance.now() - started;
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
    await fs.promises.writeFile(tmp, text);
    await fs.promises.rename(tmp, this.file);
    this.lastFlushMs = performance.now() - started;
    this.stats.writes++;
    this.stats.totalMs += blocked;
    this.stats.maxMs = Math.max(this.stats.maxMs, blocked);
    this.stats.lastBytes = text.length;
    await this.dropReflected(reflected);
  }

  /** Rewrites the journal without the entries a checkpoint on disk now reflects (removes it when none is left). */
  private dropReflected(reflected: number): Promise<void> {
    if (!this.unreflected.some((e) => e.seq <= reflected)) return Promise.resolve();
    this.journaling = this.journaling.then(async () => {
      this.unreflected = this.unreflected.filter((e) => e.seq > reflected);
      const file = journalFile(this.file);
      if (!this.unreflected.length) return fs.promises.rm(file, { force: true });
      await fs.promises.writeFile(`${file}.tmp`, this.unreflected.map((l) => `${JSON.stringify(l)}\n`).join(""));
      await fs.promises.rename(`${file}.tmp`, file);
    });
    return this.journaling;
  }
}
