// Process trees, read from /proc: the CLI starts its language host and plugins in process groups of their own,
// so neither a signal to its group nor its exit reaches them. A test that kills the CLI kills the whole tree;
// the benchmark sums the tree's memory.
import fs from "node:fs";

function parentOf(pid: string): number | undefined {
  try {
    // pid (comm) state ppid ...: the command may hold spaces and parentheses, so read after the last ")".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined; // The process ended while we looked.
  }
}

/** The process and all its descendants, whatever their process group. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(entry);
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

const alive = (pid: number) => {
  try {
    return !fs.readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
};

/** SIGKILL to the process and everything it started, at once (as a machine that goes away); resolves when all are gone. */
export async function killTree(root: number): Promise<void> {
  const tree = processTree(root);
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  for (let i = 0; i < 200 && tree.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
}

/** Resident memory of the process tree, in bytes. */
export function treeRss(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}
