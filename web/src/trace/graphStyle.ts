/**
 * Cytoscape.js style of the genealogy graph: one shape and colour per kind of identity, folded
 * groups as stacked boxes, holds with a red border and a badge, the traced identity emphasised,
 * the selected path highlighted. Labels disappear below a readable size (zoomed out far).
 */
import type { StylesheetJson } from "cytoscape";

export const KIND_COLOURS: Record<string, { fill: string; line: string }> = {
  lot: { fill: "#e1ecfd", line: "#1f6feb" },
  supplier: { fill: "#efe6fb", line: "#7c4dca" },
  unit: { fill: "#e3f3e4", line: "#2e7d32" },
  container: { fill: "#fff1d6", line: "#b26a00" },
  location: { fill: "#eef1f5", line: "#5d6b7e" },
  customer: { fill: "#dff3f1", line: "#0f766e" },
};

const SHAPES: Record<string, string> = {
  lot: "round-rectangle",
  supplier: "round-rectangle",
  unit: "ellipse",
  container: "barrel",
  location: "cut-rectangle",
  customer: "round-hexagon",
};

// A red disc with a white bar: the hold badge drawn in the node's corner.
const HOLD_BADGE =
  "data:image/svg+xml;utf8," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18"><circle cx="9" cy="9" r="8.5" fill="#c62828"/>' +
      '<rect x="4" y="7.5" width="10" height="3" rx="1" fill="#fff"/></svg>',
  );

export const DANGER = "#c62828";
export const PATH = "#1f6feb";

export function graphStyle(large: boolean): StylesheetJson {
  const kinds = Object.keys(SHAPES).map((kind) => ({
    selector: `node[look = "${kind}"]`,
    style: { shape: SHAPES[kind], "background-color": KIND_COLOURS[kind].fill, "border-color": KIND_COLOURS[kind].line },
  }));
  return [
    {
      selector: "node",
      style: {
        width: 140,
        height: 42,
        label: "data(display)",
        "font-size": 12,
        "font-family": 'system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif',
        color: "#1b2430",
        "text-valign": "center",
        "text-halign": "center",
        "text-wrap": "wrap",
        "text-max-width": "126px",
        "border-width": 1.5,
        // Labels vanish when they would be drawn smaller than this (zoomed far out).
        "min-zoomed-font-size": large ? 9 : 6,
      },
    },
    ...kinds,
    { selector: 'node[look = "unit"]', style: { width: 132, height: 38 } },
    {
      selector: "node[?group]",
      style: {
        width: 150,
        height: 48,
        "border-width": 4,
        "border-style": "double",
        "font-weight": "bold",
        "font-size": 12,
      },
    },
    {
      selector: "node[hold]",
      style: {
        "border-color": DANGER,
        "border-width": 3.5,
        "background-image": HOLD_BADGE,
        "background-width": "14px",
        "background-height": "14px",
        "background-position-x": "6px",
        "background-position-y": "50%",
        "background-clip": "none",
        "background-image-containment": "over",
        "text-margin-x": 7,
        "text-max-width": "112px",
      },
    },
    {
      selector: "node[?root]",
      style: { width: 160, height: 54, "border-width": 4, "border-color": "#1b2430", "font-weight": "bold", "font-size": 13 },
    },
    { selector: "node[?root][hold]", style: { "border-color": DANGER } },
    {
      selector: "edge",
      style: {
        width: 1.4,
        "line-color": "#9aa6b7",
        "target-arrow-color": "#9aa6b7",
        "target-arrow-shape": large ? "none" : "triangle",
        "arrow-scale": 0.8,
        "curve-style": large ? "haystack" : "bezier",
      },
    },
    { selector: ".faded", style: { opacity: 0.3 } },
    { selector: "node.path", style: { "border-color": PATH, "border-width": 3, opacity: 1 } },
    { selector: "node.path[hold]", style: { "border-color": DANGER } },
    {
      selector: "edge.path",
      style: {
        width: 3.5,
        "line-color": PATH,
        "target-arrow-color": PATH,
        "target-arrow-shape": "triangle",
        "curve-style": "bezier",
        opacity: 1,
        "z-index": 10,
        label: "data(display)",
        "font-size": 10,
        color: "#183f7a",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.9,
        "text-background-padding": "2px",
        "min-zoomed-font-size": 7,
      },
    },
    {
      selector: "node:selected",
      style: { "border-color": PATH, "border-width": 5, "overlay-color": PATH, "overlay-opacity": 0.08, "overlay-padding": 4 },
    },
    { selector: "node:selected[hold]", style: { "border-color": DANGER } },
  ] as StylesheetJson;
}
