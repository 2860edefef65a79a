/**
 * The genealogy as a Cytoscape.js graph, laid out in layers left to right (origins, the traced
 * identity, destinations) with dagre; very large graphs get one column per level instead, since a
 * layered layout of thousands of nodes would block the page for seconds.
 *
 * The model lives with the caller; on each `version` only the elements not drawn yet are added, in
 * one batch. Nothing is animated, the viewport is a texture while panning and zooming, and labels
 * disappear when zoomed far out.
 */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from "cytoscape";
import dagre from "cytoscape-dagre";
import type { GraphEdge, GraphNode } from "./api";
import { isSupplierLot } from "./api";
import { columnPositions, edgeId, type GraphModel, type Path } from "./graphModel";
import { graphStyle } from "./graphStyle";

cytoscape.use(dagre);

/** Above this many nodes the layered layout engine is skipped for the column layout. */
export const LAYERED_MAX = 500;
/** Above this many elements edges become straight lines without arrows (cheaper to draw). */
const LARGE = 1500;
const MAX_START_ZOOM = 1.25;
/** Below this zoom labels are too small to read: a graph that would need it starts here, around the traced identity. */
const READABLE_ZOOM = 0.75;

export interface GraphLabels {
  node: (n: GraphNode) => string;
  edge: (e: GraphEdge) => string;
}

function look(n: GraphNode): string {
  if (n.kind === "lot" && isSupplierLot(n.id)) return "supplier";
  return n.kind;
}

function nodeData(n: GraphNode, labels: GraphLabels) {
  return {
    id: n.id,
    look: look(n),
    display: labels.node(n),
    depth: n.depth,
    group: Boolean(n.group),
    root: Boolean(n.root),
    ...(n.hold ? { hold: n.hold } : {}),
  };
}

function layout(cy: Core, model: GraphModel): void {
  if (cy.nodes().length <= LAYERED_MAX) {
    cy.layout({
      name: "dagre",
      rankDir: "LR",
      nodeSep: 14,
      rankSep: 48,
      edgeSep: 6,
      animate: false,
      fit: false,
      // Keep the server's levels: an edge spans as many layers as its levels differ.
      minLen: (edge: cytoscape.EdgeSingular) => Math.max(1, Number(edge.target().data("depth")) - Number(edge.source().data("depth"))),
    } as cytoscape.LayoutOptions).run();
    return;
  }
  const positions = columnPositions(model, 230, 56);
  cy.nodes().positions((node) => positions.get((node as NodeSingular).id()) ?? { x: 0, y: 0 });
}

function fitView(cy: Core, focus: string | null, readable = true): void {
  const node = focus ? cy.getElementById(focus) : cy.nodes("[?root]");
  cy.fit(undefined, 30);
  if (cy.zoom() > MAX_START_ZOOM) {
    cy.zoom(MAX_START_ZOOM);
    cy.center();
  } else if (readable && cy.zoom() < READABLE_ZOOM && node.nonempty()) {
    cy.zoom(READABLE_ZOOM);
    cy.center(node);
  }
}

export function GenealogyGraph({
  model,
  version,
  focus,
  path,
  labels,
  onSelect,
  onExpand,
}: {
  model: GraphModel;
  /** Changes whenever nodes or edges were merged into the model or changed. */
  version: number;
  /** The node to keep in view after a change (the one just expanded). */
  focus: string | null;
  /** The selected node's path from the traced identity (highlighted), or null. */
  path: Path | null;
  labels: GraphLabels;
  onSelect: (id: string | null) => void;
  onExpand: (id: string) => void;
}) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const handlers = useRef({ onSelect, onExpand });
  handlers.current = { onSelect, onExpand };

  // One Cytoscape instance per mounted view.
  useEffect(() => {
    const large = model.nodes.size + model.edges.size > LARGE;
    const cy = cytoscape({
      container: container.current,
      style: graphStyle(large),
      minZoom: 0.03,
      maxZoom: 3,
      boxSelectionEnabled: false,
      autoungrabify: large,
      selectionType: "single",
      textureOnViewport: true,
      hideEdgesOnViewport: large,
      motionBlur: false,
      pixelRatio: large ? 1 : "auto",
    });
    cyRef.current = cy;
    cy.on("tap", "node", (e) => handlers.current.onSelect(e.target.id()));
    cy.on("dbltap", "node", (e) => {
      if (!e.target.data("group")) handlers.current.onExpand(e.target.id());
    });
    cy.on("tap", (e) => {
      if (e.target === cy) handlers.current.onSelect(null);
    });
    // The side panel opens and closes beside the canvas: follow the container's size, keeping
    // what was in the middle of the view in the middle.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const { x1, x2, y1, y2 } = cy.extent();
        cy.resize();
        const zoom = cy.zoom();
        cy.pan({ x: cy.width() / 2 - ((x1 + x2) / 2) * zoom, y: cy.height() / 2 - ((y1 + y2) / 2) * zoom });
      });
    });
    if (container.current) observer.observe(container.current);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      cy.destroy();
      cyRef.current = null;
    };
    // The instance is made once per view; `model` is the same object for the view's lifetime.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Draw what the model has and the graph does not; refresh labels and holds of the rest.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const fresh: ElementDefinition[] = [];
    cy.batch(() => {
      for (const n of model.nodes.values()) {
        const el = cy.getElementById(n.id);
        const data = nodeData(n, labels);
        if (el.empty()) fresh.push({ group: "nodes", data });
        else {
          el.data(data);
          if (!n.hold) el.removeData("hold");
        }
      }
      for (const e of model.edges.values()) {
        const id = edgeId(e);
        const data = { id, source: e.source, target: e.target, display: labels.edge(e) };
        const el = cy.getElementById(id);
        if (el.empty()) fresh.push({ group: "edges", data });
        else el.data("display", data.display);
      }
      if (fresh.length) cy.add(fresh);
    });
    if (fresh.length) {
      layout(cy, model);
      fitView(cy, focus);
    }
    // `labels` changes with the UI language only (the caller memoises it).
  }, [model, version, focus, labels]);

  // The selected path, highlighted; everything else faded.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().removeClass("path faded");
      cy.nodes().unselect();
      if (!path) return;
      let on = cy.collection();
      for (const id of path.nodes) on = on.union(cy.getElementById(id));
      for (const e of path.edges) on = on.union(cy.getElementById(edgeId(e)));
      on.addClass("path");
      if (path.nodes.length > 1) cy.elements().difference(on).addClass("faded");
      cy.getElementById(path.nodes[path.nodes.length - 1]).select();
    });
  }, [path, version]);

  const zoomBy = (factor: number) => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  return (
    <div className="trace-canvas-wrap">
      <div
        ref={container}
        className="trace-canvas"
        data-testid="trace-canvas"
        data-nodes={model.nodes.size}
        data-edges={model.edges.size}
        role="img"
        aria-label={t("trace.graph.canvasLabel", { nodes: model.nodes.size, edges: model.edges.size })}
      />
      <div className="trace-canvas-tools">
        <button type="button" className="btn btn-small" onClick={() => zoomBy(1.25)} aria-label={t("trace.graph.zoomIn")} title={t("trace.graph.zoomIn")}>
          +
        </button>
        <button type="button" className="btn btn-small" onClick={() => zoomBy(0.8)} aria-label={t("trace.graph.zoomOut")} title={t("trace.graph.zoomOut")}>
          −
        </button>
        <button type="button" className="btn btn-small" data-testid="graph-fit" onClick={() => cyRef.current && fitView(cyRef.current, null, false)}>
          {t("trace.graph.fit")}
        </button>
      </div>
    </div>
  );
}
