// Coalesces concurrent per-instance requests into API calls of up to 100 ids. The provider host runs
// creates, reads and updates of independent resources concurrently; each arrives here on its own and
// leaves with its own answer or its own error.

import { RenewalError } from "./errors";

export interface BatcherOptions {
  /** Most items per API call (the ECS limit is 100). 1 gives the one-call-per-resource baseline. */
  maxBatch: number;
  /** A batch goes out once no new item has joined it for this long... */
  windowMs: number;
  /**
   * ...or once its first item has waited this long. The engine checks resources one at a time, so in a
   * large stack creates arrive a few milliseconds apart: an idle gap alone would send tiny batches.
   */
  maxWaitMs?: number;
  /**
   * Once STREAM_ITEMS items of a group have come with no pause longer than this, they are a stream, and a
   * pause of windowMs is more likely a stall of the engine (a state write, a garbage collection) than its
   * end: a batch of a stream waits this long for the next item. The stream outlives the batches it fills.
   * Without it a 1000-resource update sent half-full batches.
   */
  streamWindowMs?: number;
}

const STREAM_ITEMS = 25;

interface Pending<R> {
  key: string;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/** Codes that are about the call, not one instance: splitting the batch would only repeat them. */
const CALL_WIDE = /^(Forbidden|NoPermission|InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|InvalidSecurityToken|Throttling|InternalError|ServiceUnavailable|ECONN|ETIMEDOUT|InvalidAction)/;

export function isCallWide(error: unknown): boolean {
  const code = error instanceof RenewalError ? error.code : undefined;
  if (code === undefined) return true;
  return CALL_WIDE.test(code);
}

/**
 * Groups items by `group` (region, or region + desired settings), runs a batch per group, and gives each
 * caller the result for its key. A batch that fails for an instance-specific reason is split in halves
 * and retried, so one bad instance does not fail the other 99 (ECS's documented messages do not say which
 * id of a batch failed, so bisecting is the way to find it). What a key's own failure means can be
 * decided by `settle`: a value for the caller, or undefined to pass the error on.
 */
export class Batcher<R> {
  private readonly queues = new Map<string, { items: Pending<R>[]; timer?: NodeJS.Timeout; first: number }>();

  constructor(
    private readonly options: BatcherOptions,
    /** Returns a value per key; a key missing from the map resolves to `missing(key)`. */
    private readonly run: (group: string, keys: string[]) => Promise<Map<string, R>>,
    private readonly missing: (key: string) => R,
    private readonly settle: (key: string, error: unknown) => { value: R } | undefined = () => undefined,
  ) {}

  /** Per group: how many items came in a row without a pause longer than streamWindowMs, and when the last did. */
  private readonly streaks = new Map<string, { count: number; last: number }>();

  private inStream(group: string): boolean {
    const now = Date.now();
    const streak = this.streaks.get(group);
    const continues = streak !== undefined && now - streak.last <= (this.options.streamWindowMs ?? 0);
    const next = { count: continues ? streak.count + 1 : 1, last: now };
    this.streaks.set(group, next);
    return next.count >= STREAM_ITEMS;
  }

  submit(group: string, key: string): Promise<R> {
    const stream = this.inStream(group);
    return new Promise<R>((resolve, reject) => {
      let queue = this.queues.get(group);
      if (!queue) {
        queue = { items: [], first: Date.now() };
        this.queues.set(group, queue);
      }
      queue.items.push({ key, resolve, reject });
      if (queue.items.length >= this.options.maxBatch) {
        this.flush(group);
        return;
      }
      if (queue.timer) clearTimeout(queue.timer);
      const waited = Date.now() - queue.first;
      const idle = stream ? Math.max(this.options.windowMs, this.options.streamWindowMs ?? 0) : this.options.windowMs;
      const wait = Math.max(0, Math.min(idle, (this.options.maxWaitMs ?? this.options.windowMs) - waited));
      queue.timer = setTimeout(() => this.flush(group), wait);
    });
  }

  private flush(group: string): void {
    const queue = this.queues.get(group);
    if (!queue) return;
    if (queue.timer) clearTimeout(queue.timer);
    this.queues.delete(group);
    // A full queue is flushed at once; what is left over (if any) starts a new window.
    for (let i = 0; i < queue.items.length; i += this.options.maxBatch) {
      void this.execute(group, queue.items.slice(i, i + this.options.maxBatch));
    }
  }

  private async execute(group: string, items: Pending<R>[]): Promise<void> {
    const keys = [...new Set(items.map((i) => i.key))];
    try {
      const results = await this.run(group, keys);
      for (const item of items) item.resolve(results.has(item.key) ? (results.get(item.key) as R) : this.missing(item.key));
    } catch (error) {
      if (isCallWide(error)) {
        for (const item of items) item.reject(error);
        return;
      }
      if (keys.length === 1) {
        const settled = this.settle(keys[0], error);
        for (const item of items) {
          if (settled) item.resolve(settled.value);
          else item.reject(error);
        }
        return;
      }
      const half = Math.ceil(keys.length / 2);
      const firstKeys = new Set(keys.slice(0, half));
      await Promise.all([
        this.execute(group, items.filter((i) => firstKeys.has(i.key))),
        this.execute(group, items.filter((i) => !firstKeys.has(i.key))),
      ]);
    }
  }
}
