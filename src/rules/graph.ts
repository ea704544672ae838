/**
 * The dependency graph of a rules file's definitions: cycles and an evaluation order.
 * Pure functions over names; no AST here.
 * @internal
 */

/** One edge: `from` refers to `to` (the reference's position is kept by the caller). */
export interface Edge<E = unknown> {
  readonly to: string;
  readonly data: E;
}

/** A cycle found in the graph. */
export interface Cycle<E = unknown> {
  /**
   * A closed walk through every member of one strongly connected group, starting and ending at the
   * member defined first: `["a", "b", "c", "a"]`. In a simple cycle each name appears once (plus
   * the closing repeat); a tangle of cycles repeats names so that every member is on the walk.
   */
  readonly path: readonly string[];
  /** The members, in definition order. */
  readonly members: readonly string[];
  /** The edge leaving the first member along the walk (where the diagnostic is placed). */
  readonly firstEdge: Edge<E>;
}

/**
 * Finds every cycle (strongly connected group of two or more definitions, or one that refers to
 * itself), iteratively (no recursion, whatever the size of the file).
 *
 * @param names - every definition name, in definition order
 * @param edges - the references of each definition (to names that exist)
 * @returns one {@link Cycle} per group, ordered by their first member's definition order
 * @internal
 */
export function findCycles<E>(names: readonly string[], edges: ReadonlyMap<string, readonly Edge<E>[]>): Cycle<E>[] {
  const order = new Map(names.map((n, i) => [n, i]));
  const succ = (n: string) => (edges.get(n) ?? []).filter((e) => order.has(e.to));
  // Tarjan's algorithm with an explicit stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const root of names) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const out = succ(frame.node);
      if (frame.next < out.length) {
        const to = out[frame.next++]!.to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          group.push(n);
        } while (n !== frame.node);
        groups.push(group);
      }
    }
  }
  const cycles: Cycle<E>[] = [];
  for (const group of groups) {
    const members = [...group].sort((a, b) => order.get(a)! - order.get(b)!);
    const start = members[0]!;
    const selfLoop = succ(start).find((e) => e.to === start);
    if (members.length === 1) {
      if (selfLoop) cycles.push({ path: [start, start], members, firstEdge: selfLoop });
      continue;
    }
    const inGroup = new Set(members);
    const path = closedWalk(start, members, inGroup, succ);
    const firstEdge = succ(start).find((e) => e.to === path[1])!;
    cycles.push({ path, members, firstEdge });
  }
  return cycles.sort((a, b) => order.get(a.members[0]!)! - order.get(b.members[0]!)!);
}

/** Shortest path inside the group from `from` to `to` (both included), by breadth-first search. */
function shortestPath<E>(
  from: string,
  to: string,
  inGroup: ReadonlySet<string>,
  succ: (n: string) => readonly Edge<E>[],
): string[] {
  const prev = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length) {
    const n = queue.shift()!;
    for (const e of succ(n)) {
      if (!inGroup.has(e.to)) continue;
      if (e.to === to) {
        const path = [to, n];
        let p = n;
        while (p !== from) {
          p = prev.get(p)!;
          path.push(p);
        }
        return path.reverse();
      }
      if (!seen.has(e.to)) {
        seen.add(e.to);
        prev.set(e.to, n);
        queue.push(e.to);
      }
    }
  }
  return [from, to]; // unreachable inside a strongly connected group
}

/** A closed walk from `start` through every member of a strongly connected group. */
function closedWalk<E>(
  start: string,
  members: readonly string[],
  inGroup: ReadonlySet<string>,
  succ: (n: string) => readonly Edge<E>[],
): string[] {
  // The simplest cycle through the start first, then detours to members it missed.
  const firstLoop = shortestLoop(start, inGroup, succ);
  const walk = [...firstLoop];
  const visited = new Set(walk);
  for (const m of members) {
    if (visited.has(m)) continue;
    walk.pop(); // back at start: go to m, then return
    const there = shortestPath(start, m, inGroup, succ);
    const back = shortestPath(m, start, inGroup, succ);
    walk.push(...there, ...back.slice(1));
    for (const n of walk) visited.add(n);
  }
  return walk;
}

function shortestLoop<E>(start: string, inGroup: ReadonlySet<string>, succ: (n: string) => readonly Edge<E>[]): string[] {
  let best: string[] | undefined;
  for (const e of succ(start)) {
    if (!inGroup.has(e.to)) continue;
    const p = e.to === start ? [start] : shortestPath(e.to, start, inGroup, succ);
    if (!best || p.length + 1 < best.length) best = [start, ...p];
  }
  return best ?? [start, start];
}

/**
 * Orders definitions so that each comes after everything it refers to (for a graph without cycles).
 * @internal
 */
export function dependencyOrder<E>(names: readonly string[], edges: ReadonlyMap<string, readonly Edge<E>[]>): string[] {
  const known = new Set(names);
  const done = new Set<string>();
  const out: string[] = [];
  for (const root of names) {
    if (done.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    const entered = new Set([root]);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const list = (edges.get(frame.node) ?? []).filter((e) => known.has(e.to));
      if (frame.next < list.length) {
        const to = list[frame.next++]!.to;
        if (!done.has(to) && !entered.has(to)) {
          entered.add(to);
          work.push({ node: to, next: 0 });
        }
        continue;
      }
      work.pop();
      if (!done.has(frame.node)) {
        done.add(frame.node);
        out.push(frame.node);
      }
    }
  }
  return out;
}
