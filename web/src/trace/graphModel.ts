/**
 * The genealogy drawn on screen, independent of the drawing library: nodes and edges by id,
 * merged from several /api/trace/graph answers (the first around the traced identity, then one per
 * expanded node), and the path from the traced identity to any node.
 *
 * Depths are levels relative to the traced identity: negative backward (origins), 0 the identity,
 * positive forward (destinations). An expansion answers with depths relative to the expanded node,
 * so its nodes are shifted by that node's depth when merged.
 */
import type { GraphData, GraphEdge, GraphNode } from "./api";

export interface GraphModel {
  root: string;
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
  /** Nodes whose neighbourhood has been loaded (the root, and every expanded node). */
  expanded: Set<string>;
}

export interface Added {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const edgeId = (e: { source: string; target: string }) => `${e.source}→${e.target}`;

export function emptyModel(root: string): GraphModel {
  return { root, nodes: new Map(), edges: new Map(), expanded: new Set() };
}

/**
 * Adds the nodes and edges of `data` that are not drawn yet (nothing is drawn twice). `anchor` is
 * the node `data` was loaded around (its depth shifts the new nodes); the model is changed in place
 * and what was added is returned, so that only that has to be drawn.
 */
export function mergeGraph(model: GraphModel, data: GraphData, anchor: string = data.root): Added {
  const offset = model.nodes.get(anchor)?.depth ?? 0;
  const added: Added = { nodes: [], edges: [] };
  for (const n of data.nodes) {
    if (model.nodes.has(n.id)) continue;
    const node: GraphNode = { ...n, depth: n.depth + offset, root: n.id === model.root };
    model.nodes.set(n.id, node);
    added.nodes.push(node);
  }
  for (const e of data.edges) {
    const id = edgeId(e);
    if (model.edges.has(id) || !model.nodes.has(e.source) || !model.nodes.has(e.target)) continue;
    model.edges.set(id, e);
    added.edges.push(e);
  }
  model.expanded.add(anchor);
  return added;
}

export interface Path {
  /** Node ids from the traced identity to the chosen node (both ends included). */
  nodes: string[];
  /** Edges along it, in the same order (edge ids as drawn). */
  edges: GraphEdge[];
}

function adjacency(model: GraphModel) {
  const incoming = new Map<string, GraphEdge[]>();
  const outgoing = new Map<string, GraphEdge[]>();
  for (const e of model.edges.values()) {
    (incoming.get(e.target) ?? incoming.set(e.target, []).get(e.target)!).push(e);
    (outgoing.get(e.source) ?? outgoing.set(e.source, []).get(e.source)!).push(e);
  }
  return { incoming, outgoing };
}

/**
 * The path from the traced identity to `target`: a forward node goes back along the edge that
 * reached it (from a node nearer the centre), a backward node forward along its edge; where the
 * levels do not decide (merged expansions), the shortest path in either direction is used.
 */
export function pathTo(model: GraphModel, target: string): Path | null {
  if (!model.nodes.has(target)) return null;
  if (target === model.root) return { nodes: [target], edges: [] };
  const { incoming, outgoing } = adjacency(model);
  const depth = (id: string) => model.nodes.get(id)?.depth ?? 0;
  const nodes = [target];
  const edges: GraphEdge[] = [];
  const seen = new Set(nodes);
  let here = target;
  while (here !== model.root) {
    const d = depth(here);
    let step: GraphEdge | undefined;
    if (d > 0) {
      step = (incoming.get(here) ?? [])
        .filter((e) => !seen.has(e.source) && depth(e.source) < d)
        .sort((a, b) => depth(a.source) - depth(b.source))
        .pop();
    } else if (d < 0) {
      step = (outgoing.get(here) ?? [])
        .filter((e) => !seen.has(e.target) && depth(e.target) > d)
        .sort((a, b) => depth(b.target) - depth(a.target))
        .pop();
    }
    if (!step) return shortestPath(model, target, incoming, outgoing);
    here = step.source === here ? step.target : step.source;
    seen.add(here);
    nodes.push(here);
    edges.push(step);
  }
  return { nodes: nodes.reverse(), edges: edges.reverse() };
}

function shortestPath(
  model: GraphModel,
  target: string,
  incoming: Map<string, GraphEdge[]>,
  outgoing: Map<string, GraphEdge[]>,
): Path | null {
  const via = new Map<string, GraphEdge | null>([[model.root, null]]);
  const queue = [model.root];
  for (let i = 0; i < queue.length && !via.has(target); i++) {
    const here = queue[i];
    for (const e of [...(outgoing.get(here) ?? []), ...(incoming.get(here) ?? [])]) {
      const next = e.source === here ? e.target : e.source;
      if (via.has(next)) continue;
      via.set(next, e);
      queue.push(next);
    }
  }
  if (!via.has(target)) return null;
  const nodes = [target];
  const edges: GraphEdge[] = [];
  let here = target;
  for (let e = via.get(here); e; e = via.get(here)) {
    here = e.source === here ? e.target : e.source;
    nodes.push(here);
    edges.push(e);
  }
  return { nodes: nodes.reverse(), edges: edges.reverse() };
}

/** Event hash ids along a drawn path, in order, without repeats (folded group edges carry none). */
export function pathEvents(path: Path): string[] {
  const out: string[] = [];
  for (const e of path.edges) if (e.event && !out.includes(e.event)) out.push(e.event);
  return out;
}

/**
 * Positions for a graph too large for a layered layout engine: one column per level, and within a
 * column the nodes ordered by the average row of their neighbours in the column nearer the centre
 * (one sweep outward from the traced identity), so that related nodes stay close.
 */
export function columnPositions(
  model: GraphModel,
  columnWidth: number,
  rowHeight: number,
): Map<string, { x: number; y: number }> {
  const { incoming, outgoing } = adjacency(model);
  const byDepth = new Map<number, string[]>();
  for (const n of model.nodes.values()) (byDepth.get(n.depth) ?? byDepth.set(n.depth, []).get(n.depth)!).push(n.id);
  const row = new Map<string, number>();
  const place = (ids: string[]) => ids.forEach((id, i) => row.set(id, i - (ids.length - 1) / 2));
  place(byDepth.get(0) ?? []);
  const depths = [...byDepth.keys()];
  const sweep = (levels: number[], sign: number) => {
    for (const d of levels) {
      const ids = byDepth.get(d) ?? [];
      const key = (id: string) => {
        const near = sign > 0 ? (incoming.get(id) ?? []).map((e) => e.source) : (outgoing.get(id) ?? []).map((e) => e.target);
        const rows = near.map((n) => row.get(n)).filter((r): r is number => r !== undefined);
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : 0;
      };
      const keyed = ids.map((id) => [id, key(id)] as const).sort((a, b) => a[1] - b[1]);
      place(keyed.map(([id]) => id));
    }
  };
  sweep(depths.filter((d) => d > 0).sort((a, b) => a - b), 1);
  sweep(depths.filter((d) => d < 0).sort((a, b) => b - a), -1);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of model.nodes.values()) out.set(n.id, { x: n.depth * columnWidth, y: (row.get(n.id) ?? 0) * rowHeight });
  return out;
}
