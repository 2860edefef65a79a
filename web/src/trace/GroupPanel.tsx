import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { ColDef, ICellRendererParams } from "ag-grid-community";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { useTraceErrorText } from "./useTraceErrorText";
import { parseGroupId, traceApi, traceKeys, type GraphNode, type TraceItem } from "./api";
import { ClientGrid } from "./ClientGrid";
import { formatCount, formatQuantity } from "./format";
import type { GraphModel } from "./graphModel";
import { graphUrl } from "./links";
import { HoldBadge } from "./TraceBadges";

const MAX_ROWS = 200_000;

function HoldCell({ data }: ICellRendererParams<TraceItem>) {
  return data ? <HoldBadge hold={data.hold} /> : null;
}

/**
 * A folded group (too many identities of one kind under one parent to draw): its members listed
 * in a virtualised grid instead, read from the parent's genealogy filtered to that kind.
 */
export function GroupPanel({ node, model, since, until }: { node: GraphNode; model: GraphModel; since: string | null; until: string | null }) {
  const { t, i18n } = useTranslation();
  const { errorText } = useTraceErrorText();
  const navigate = useNavigate();
  const [filter, setFilter] = useState("");
  const group = parseGroupId(node.id);
  const count = node.count ?? 0;
  const query = useQuery({
    queryKey: traceKeys.list({ id: group?.parent ?? "", direction: group?.direction ?? "forward", since, until, kind: group ? [group.kind] : [], limit: Math.min(MAX_ROWS, count + 2000) }),
    queryFn: () =>
      traceApi.list({ id: group!.parent, direction: group!.direction, since, until, kind: [group!.kind], limit: Math.min(MAX_ROWS, count + 2000) }),
    enabled: group !== null,
    staleTime: 60_000,
  });
  // The group is the parent's direct children of that kind; further levels of the same kind are not in it.
  const rows = useMemo(() => {
    const items = query.data?.items ?? [];
    const direct = items.filter((i) => i.parent === group?.parent);
    return direct.length ? direct : items.filter((i) => i.depth === 1);
  }, [query.data, group?.parent]);
  const parent = group ? model.nodes.get(group.parent) : undefined;
  const withQuantity = rows.some((r) => r.quantity !== null);
  const columns = useMemo<ColDef<TraceItem>[]>(
    () => [
      { field: "label", headerName: t("trace.field.identity"), minWidth: 130, flex: 2 },
      ...(withQuantity
        ? [
            {
              field: "quantity",
              headerName: t("trace.field.quantity"),
              type: "rightAligned",
              minWidth: 80,
              valueFormatter: (p) => formatQuantity(p.value as number | null, p.data?.uom, i18n.language),
            } satisfies ColDef<TraceItem>,
          ]
        : []),
      { field: "hold", headerName: t("trace.field.hold"), minWidth: 100, cellRenderer: HoldCell },
    ],
    [t, i18n.language, withQuantity],
  );

  return (
    <div className="trace-side-body" data-testid="group-panel" data-id={node.id}>
      <h2 className="node-title" data-testid="group-title">
        {t("trace.graph.groupLabel", { count: formatCount(count, i18n.language), kind: t(`trace.kind.${node.kind}`) })}
      </h2>
      {node.product && <p className="small node-group-product">{node.product}</p>}
      <p className="muted small">
        {t(group?.direction === "backward" ? "trace.group.intoParent" : "trace.group.fromParent", { parent: parent?.label ?? group?.parent ?? "" })}
        {node.descendants ? ` ${t("trace.group.descendants", { count: node.descendants, n: formatCount(node.descendants, i18n.language) })}` : ""}
      </p>
      {node.quantity ? (
        <p className="small">
          {t("trace.field.quantity")}: <strong>{formatQuantity(node.quantity, node.uom, i18n.language)}</strong>
        </p>
      ) : null}
      <input
        type="search"
        className="scan-input"
        data-testid="group-filter"
        placeholder={t("trace.group.filter")}
        aria-label={t("trace.group.filter")}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {query.isLoading ? (
        <p className="muted">{t("common.loading")}</p>
      ) : (
        <div className="group-grid">
          <ClientGrid<TraceItem>
            testid="group-grid"
            rows={rows}
            columns={columns}
            rowId={(r) => r.id}
            quickFilter={filter}
            height="100%"
            onRowClick={(r) => navigate(graphUrl(r.id))}
          />
        </div>
      )}
      <p className="muted small">{t("trace.group.rowHint")}</p>
    </div>
  );
}
