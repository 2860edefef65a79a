/**
 * The list tab: every identity reached in one direction, nearest first, with counts per kind,
 * a filter, CSV export, and the path's events per row. Virtualised, so 100,000 rows stay smooth.
 */
import { useMemo, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColDef, ICellRendererParams } from "ag-grid-community";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useTraceErrorText } from "./useTraceErrorText";
import { traceApi, traceKeys, type Direction, type TraceItem } from "./api";
import { ClientGrid, type ClientGridHandle } from "./ClientGrid";
import { formatCount, formatMs, formatQuantity } from "./format";
import { graphUrl } from "./links";
import { HoldBadge, KindBadge } from "./TraceBadges";

const FIRST_LIMIT = 20_000;
const ALL_LIMIT = 200_000;

function KindCell({ data }: ICellRendererParams<TraceItem>) {
  return data ? <KindBadge kind={data.kind} id={data.id} /> : null;
}

function HoldCell({ data }: ICellRendererParams<TraceItem>) {
  return data ? <HoldBadge hold={data.hold} /> : null;
}

function OpenCell({ data }: ICellRendererParams<TraceItem>) {
  const { t } = useTranslation();
  return data ? (
    <Link to={graphUrl(data.id)} onClick={(e) => e.stopPropagation()} data-testid="list-trace-link">
      {t("trace.list.trace")}
    </Link>
  ) : null;
}

export function GenealogyList({
  id,
  direction,
  since,
  until,
  onDirection,
}: {
  id: string;
  direction: Direction;
  since: string | null;
  until: string | null;
  onDirection: (d: Direction) => void;
}) {
  const { t, i18n } = useTranslation();
  const { errorText } = useTraceErrorText();
  const grid = useRef<ClientGridHandle>(null);
  const queryClient = useQueryClient();
  const [limit, setLimit] = useState(FIRST_LIMIT);
  const [kind, setKind] = useState<string>("");
  const [filter, setFilter] = useState("");
  const query = useQuery({
    queryKey: traceKeys.list({ id, direction, since, until, limit }),
    queryFn: ({ signal }) => traceApi.list({ id, direction, since, until, limit }, signal),
    staleTime: 60_000,
  });
  const data = query.data;
  const rows = useMemo(() => (data?.items ?? []).filter((r) => !kind || r.kind === kind), [data, kind]);
  const labels = useMemo(() => {
    const map = new Map<string, string>();
    if (data) map.set(data.root.id, data.root.label);
    for (const r of data?.items ?? []) map.set(r.id, r.label);
    return map;
  }, [data]);

  const columns = useMemo<ColDef<TraceItem>[]>(
    () => [
      { field: "depth", headerName: t("trace.field.level"), maxWidth: 90, minWidth: 76, type: "rightAligned" },
      { field: "kind", headerName: t("trace.field.kind"), minWidth: 110, maxWidth: 140, cellRenderer: KindCell },
      { field: "label", headerName: t("trace.field.identity"), minWidth: 140 },
      { field: "product", headerName: t("trace.field.product"), minWidth: 110, valueFormatter: (p) => p.data?.name ?? p.value ?? "" },
      { field: "lot", headerName: t("trace.field.lot"), minWidth: 90 },
      {
        field: "quantity",
        headerName: t("trace.field.quantity"),
        minWidth: 110,
        type: "rightAligned",
        valueFormatter: (p) => formatQuantity(p.value as number | null, p.data?.uom, i18n.language),
      },
      { field: "hold", headerName: t("trace.field.hold"), minWidth: 100, cellRenderer: HoldCell },
      {
        colId: "parent",
        headerName: t("trace.field.reachedFrom"),
        minWidth: 120,
        valueGetter: (p) => (p.data?.parent ? (labels.get(p.data.parent) ?? p.data.parent) : ""),
      },
      {
        colId: "events",
        headerName: t("trace.field.events"),
        minWidth: 80,
        maxWidth: 100,
        type: "rightAligned",
        valueGetter: (p) => p.data?.path.length ?? 0,
        tooltipValueGetter: (p) => p.data?.path.join("\n") ?? "",
      },
      { field: "id", headerName: t("trace.field.key"), minWidth: 200, hide: true },
      { colId: "open", headerName: "", minWidth: 80, maxWidth: 100, sortable: false, cellRenderer: OpenCell },
    ],
    [t, i18n.language, labels],
  );

  const counts = data?.counts ?? {};
  return (
    <section className="panel trace-list" data-testid="trace-list">
      <div className="trace-list-head">
        <div className="tabs" role="radiogroup" aria-label={t("trace.graph.direction")}>
          {(["backward", "forward"] as Direction[]).map((d) => (
            <button
              key={d}
              type="button"
              role="radio"
              aria-checked={direction === d}
              className={`tab${direction === d ? " active" : ""}`}
              data-testid={`list-direction-${d}`}
              onClick={() => onDirection(d)}
            >
              {t(`trace.side.${d}`)}
            </button>
          ))}
        </div>
        <div className="chips kind-chips" data-testid="list-counts">
          <button type="button" className={`chip${kind === "" ? " chip-active" : ""}`} onClick={() => setKind("")}>
            {t("trace.list.all")} <strong>{formatCount(data?.total ?? 0, i18n.language)}</strong>
          </button>
          {Object.entries(counts).map(([k, n]) => (
            <button
              key={k}
              type="button"
              className={`chip${kind === k ? " chip-active" : ""}`}
              data-testid={`list-count-${k}`}
              onClick={() => setKind(kind === k ? "" : k)}
            >
              {t(`trace.kind.${k}`, { defaultValue: k })} <strong>{formatCount(n, i18n.language)}</strong>
            </button>
          ))}
        </div>
        <div className="toolbar">
          <input
            type="search"
            className="search"
            data-testid="list-filter"
            placeholder={t("trace.list.filter")}
            aria-label={t("trace.list.filter")}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <button
            type="button"
            className="btn"
            data-testid="list-export"
            disabled={!data}
            onClick={() => grid.current?.exportCsv(`genealogy-${direction}-${data?.root.label ?? "trace"}.csv`)}
          >
            {t("trace.list.exportCsv")}
          </button>
        </div>
      </div>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {data && (
        <p className="muted small" data-testid="list-summary">
          {t("trace.list.summary", {
            total: formatCount(data.total, i18n.language),
            levels: data.items.reduce((m, r) => Math.max(m, r.depth), 0),
            elapsed: formatMs(data.elapsed_ms, i18n.language),
          })}
        </p>
      )}
      {data?.truncated && (
        <div className="alert alert-info" data-testid="list-truncated">
          {t("trace.list.truncated", { shown: formatCount(data.items.length, i18n.language), total: formatCount(data.total, i18n.language) })}{" "}
          {limit < ALL_LIMIT && (
            <button type="button" className="btn btn-small" onClick={() => setLimit(ALL_LIMIT)}>
              {t("trace.list.loadAll")}
            </button>
          )}
        </div>
      )}
      {query.isFetching && (
        <div className="trace-progress" role="status" data-testid="list-loading">
          <span>{t("trace.graph.loading")}</span>
          <progress aria-label={t("trace.graph.loading")} />
          {limit > FIRST_LIMIT && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                void queryClient.cancelQueries({ queryKey: traceKeys.list({ id, direction, since, until, limit }) });
                setLimit(FIRST_LIMIT);
              }}
            >
              {t("common.cancel")}
            </button>
          )}
        </div>
      )}
      {query.isLoading ? null : (
        <ClientGrid<TraceItem> ref={grid} testid="list-grid" rows={rows} columns={columns} rowId={(r) => r.id} quickFilter={filter} height="calc(100vh - 400px)" />
      )}
    </section>
  );
}
