/**
 * The graph tab: the drawing, and beside it the selected identity (its path from the traced one,
 * the events of that path, what to do next) or the members of a folded group. Clicking a node
 * selects it; double-clicking it, or its Expand button, loads its own neighbourhood and merges it in.
 */
import { useCallback, useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useTraceErrorText } from "./useTraceErrorText";
import { traceApi, traceKeys, type Disposition, type GraphData, type GraphEdge, type GraphNode, type GraphQuery } from "./api";
import { EventDrawer } from "./EventDrawer";
import { formatCount, formatQuantity } from "./format";
import { GenealogyGraph, type GraphLabels } from "./GenealogyGraph";
import { emptyModel, mergeGraph, pathEvents, pathTo } from "./graphModel";
import { KIND_COLOURS } from "./graphStyle";
import { GroupPanel } from "./GroupPanel";
import { NodePanel } from "./NodePanel";

/** The server's full path of a node is looked up among this many identities of its kind. */
const PATH_LOOKUP_LIMIT = 5000;
const LEGEND = ["lot", "supplier", "unit", "container", "location", "customer"];

function Legend() {
  const { t } = useTranslation();
  return (
    <ul className="graph-legend" aria-label={t("trace.graph.legend")}>
      {LEGEND.map((k) => (
        <li key={k}>
          <span className={`legend-swatch legend-${k}`} style={{ background: KIND_COLOURS[k].fill, borderColor: KIND_COLOURS[k].line }} />
          {t(`trace.kind.${k}`)}
        </li>
      ))}
      <li>
        <span className="legend-swatch legend-hold" />
        {t("trace.graph.onHold")}
      </li>
    </ul>
  );
}

export function GraphView({ data, query }: { data: GraphData; query: GraphQuery }) {
  const { t, i18n } = useTranslation();
  const { errorText } = useTraceErrorText();
  const queryClient = useQueryClient();
  // The drawn genealogy: built once from the first answer, then grown in place by expansions.
  const [m] = useState(() => {
    const model = emptyModel(data.root);
    mergeGraph(model, data);
    return model;
  });
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const [expanding, setExpanding] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [event, setEvent] = useState<string | null>(null);
  const node = selected ? (m.nodes.get(selected) ?? null) : null;
  // `version` stands for changes of the model, which is grown in place.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const path = useMemo(() => (selected ? pathTo(m, selected) : null), [m, selected, version]);

  const labels = useMemo<GraphLabels>(
    () => ({
      node: (n: GraphNode) =>
        n.group
          ? t("trace.graph.groupLabel", { count: formatCount(n.count, i18n.language), kind: t(`trace.kind.${n.kind}`) })
          : n.kind === "unit"
            ? n.label
            : `${n.label}\n${n.name ?? n.product ?? t(`trace.kind.${n.kind}`)}`,
      edge: (e: GraphEdge) => (e.quantity ? formatQuantity(e.quantity, e.uom, i18n.language) : ""),
    }),
    [t, i18n.language],
  );

  // The server's complete path (every event, transformations included) when the node is in the
  // traced identity's own genealogy; otherwise the events of the drawn edges.
  const direction = node && node.depth < 0 ? "backward" : "forward";
  const full = useQuery({
    queryKey: traceKeys.list({ id: m.root, direction, since: query.since, until: query.until, kind: node ? [node.kind] : [], limit: PATH_LOOKUP_LIMIT }),
    queryFn: () => traceApi.list({ id: m.root, direction, since: query.since, until: query.until, kind: [node!.kind], limit: PATH_LOOKUP_LIMIT }),
    enabled: node !== null && !node.group && !node.root && node.depth !== 0,
    staleTime: 60_000,
  });
  const item = node ? full.data?.items.find((i) => i.id === node.id) : undefined;
  const events = item ? item.path : path ? pathEvents(path) : [];

  const expand = useCallback(
    async (id: string) => {
      const n = m.nodes.get(id);
      if (!n || n.group || m.expanded.has(id)) return;
      setExpanding(id);
      setError(null);
      try {
        const around: GraphQuery = { ...query, id, side: "both" };
        const more = await queryClient.fetchQuery({
          queryKey: traceKeys.graph(around),
          queryFn: ({ signal }) => traceApi.graph(around, signal),
          staleTime: 60_000,
        });
        mergeGraph(m, more, id);
        setFocus(id);
        setSelected(id);
        setVersion((v) => v + 1);
      } catch (e) {
        setError(errorText(e));
      } finally {
        setExpanding(null);
      }
    },
    [m, query, queryClient, errorText],
  );

  const hold = async (disposition: Disposition, reason: string) => {
    if (!node) return;
    const placed = await traceApi.placeHold(node.id, disposition, reason);
    m.nodes.set(node.id, { ...node, hold: placed[0]?.disposition ?? disposition });
    setVersion((v) => v + 1);
    void queryClient.invalidateQueries({ queryKey: ["trace", "holds"] });
  };

  return (
    <div className={`trace-graph-layout${node ? " with-side" : ""}`}>
      <div className="trace-graph-main">
        <GenealogyGraph
          model={m}
          version={version}
          focus={focus}
          path={path}
          labels={labels}
          onSelect={setSelected}
          onExpand={(id) => void expand(id)}
        />
        <div className="graph-foot">
          <Legend />
          <p className="graph-hint muted small">{t("trace.graph.hint")}</p>
        </div>
        {expanding && (
          <div className="graph-busy" role="status" data-testid="graph-expanding">
            {t("trace.graph.expanding")}
          </div>
        )}
        {error && (
          <div className="alert alert-error graph-error" role="alert">
            {error}
          </div>
        )}
      </div>
      {node && (
        <aside className="trace-side panel" data-testid="trace-side">
          <button type="button" className="btn btn-ghost btn-small trace-side-close" aria-label={t("common.close")} data-testid="side-close" onClick={() => setSelected(null)}>
            ✕
          </button>
          {node.group ? (
            <GroupPanel key={node.id} node={node} model={m} since={query.since ?? null} until={query.until ?? null} />
          ) : (
            <NodePanel
              key={node.id}
              node={node}
              model={m}
              pathNodes={path?.nodes ?? []}
              events={events}
              eventsComplete={Boolean(item)}
              expanded={m.expanded.has(node.id)}
              expanding={expanding === node.id}
              onSelect={setSelected}
              onExpand={() => void expand(node.id)}
              onHold={hold}
              onOpenEvent={setEvent}
            />
          )}
        </aside>
      )}
      {event && <EventDrawer eventId={event} onClose={() => setEvent(null)} />}
    </div>
  );
}
