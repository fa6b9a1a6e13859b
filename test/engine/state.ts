// The checkpoint: one JSON file per stack, rewritten atomically after every completed step so an
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
  protect?: boolean;
  retainOnDelete?: boolean;
}

export interface Checkpoint {
  version: 1;
  project: string;
  stack: string;
  resources: ResourceState[];
  outputs?: Record<string, unknown>;
}

export function readCheckpoint(file: string, project: string, stack: string): Checkpoint {
  if (!fs.existsSync(file)) return { version: 1, project, stack, resources: [] };
  return JSON.parse(fs.readFileSync(file, "utf8")) as Checkpoint;
}

/** Serializes writes; each write goes to a temporary file that is then renamed over the checkpoint. */
export class CheckpointWriter {
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  constructor(private readonly file: string) {}

  save(checkpoint: Checkpoint): Promise<void> {
    const text = JSON.stringify(checkpoint, null, 2);
    this.chain = this.chain.then(() => {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, this.file);
    });
    return this.chain;
  }
}
