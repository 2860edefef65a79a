/**
 * Holds (persistent dispositions) on lots, units and containers: active ones by default, or all;
 * optionally those of one recall. Releasing one takes a reason and records an event that unsets it.
 */
import { useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColDef, ICellRendererParams } from "ag-grid-community";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { ReasonDialog } from "../components/ReasonDialog";
import { formatDateTime } from "../lib/format";
import { traceApi, traceKeys, type Hold } from "./api";
import { ClientGrid } from "./ClientGrid";
import { formatCount } from "./format";
import { graphUrl, recallUrl } from "./links";
import { HoldBadge, KindBadge } from "./TraceBadges";
import { useTraceErrorText } from "./useTraceErrorText";
import "./trace.css";

const LIMIT = 5000;

function IdentityCell({ data }: ICellRendererParams<Hold>) {
  return data ? (
    <span className="cell-identity">
      <KindBadge kind={data.kind} id={data.node} />
      <Link to={graphUrl(data.node)} data-testid="hold-identity">
        {data.label}
      </Link>
    </span>
  ) : null;
}

function DispositionCell({ data }: ICellRendererParams<Hold>) {
  const { t } = useTranslation();
  if (!data) return null;
  return data.released_at ? (
    <span className="badge badge-muted">
      {t("trace.holds.released")} · {t(`trace.disposition.${data.disposition}`, { defaultValue: data.disposition })}
    </span>
  ) : (
    <HoldBadge hold={data.disposition} />
  );
}

function RecallCell({ data, value }: ICellRendererParams<Hold, string>) {
  return data?.recall_id ? (
    <Link to={recallUrl(data.recall_id)} className="mono">
      {value}
    </Link>
  ) : null;
}

export default function HoldsPage() {
  const { t, i18n } = useTranslation();
  const { errorText } = useTraceErrorText();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const active = params.get("all") !== "1";
  const recallId = params.get("recall_id") ? Number(params.get("recall_id")) : undefined;
  const [filter, setFilter] = useState("");
  const [releasing, setReleasing] = useState<Hold | null>(null);
  const filters = { active, recall_id: recallId, limit: LIMIT };
  const query = useQuery({ queryKey: traceKeys.holds(filters), queryFn: () => traceApi.holds(filters) });
  const rows = useMemo(() => query.data ?? [], [query.data]);
  const recalls = useQuery({ queryKey: traceKeys.recalls, queryFn: traceApi.recalls, staleTime: 60_000 });
  const codes = useMemo(() => new Map((recalls.data ?? []).map((r) => [r.id, r.code])), [recalls.data]);
  const mayRelease = can("trace.hold");

  const columns = useMemo<ColDef<Hold>[]>(() => {
    const cols: ColDef<Hold>[] = [
      { field: "label", headerName: t("trace.field.identity"), minWidth: 240, cellRenderer: IdentityCell },
      { field: "disposition", headerName: t("trace.hold.disposition"), minWidth: 150, cellRenderer: DispositionCell },
      { field: "reason", headerName: t("fields.reason"), minWidth: 180, tooltipField: "reason" },
      {
        field: "placed_at",
        headerName: t("trace.holds.placed"),
        minWidth: 190,
        valueFormatter: (p) => formatDateTime(p.value as string, i18n.language),
      },
      { field: "placed_by", headerName: t("trace.holds.by"), minWidth: 90, maxWidth: 130 },
      {
        field: "recall_id",
        headerName: t("trace.holds.recall"),
        minWidth: 190,
        valueGetter: (p) => (p.data?.recall_id ? (codes.get(p.data.recall_id) ?? `#${p.data.recall_id}`) : ""),
        cellRenderer: RecallCell,
      },
    ];
    if (!active) {
      cols.push({
        field: "released_at",
        headerName: t("trace.holds.releasedAt"),
        minWidth: 240,
        valueFormatter: (p) => (p.value ? `${formatDateTime(p.value as string, i18n.language)} · ${p.data?.released_by ?? ""}` : ""),
        tooltipField: "release_reason",
      });
    }
    if (mayRelease) {
      cols.push({
        colId: "release",
        headerName: "",
        minWidth: 120,
        maxWidth: 140,
        sortable: false,
        cellRenderer: ({ data }: ICellRendererParams<Hold>) =>
          data && !data.released_at ? (
            <button type="button" className="btn btn-small grid-button" data-testid={`release-${data.id}`} onClick={() => setReleasing(data)}>
              {t("trace.holds.release")}
            </button>
          ) : null,
      });
    }
    return cols;
  }, [t, i18n.language, active, mayRelease, codes]);

  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <div className="page trace-page" data-testid="holds-page">
      <div className="page-head">
        <h1>{t("trace.holds.title")}</h1>
        <div className="toolbar">
          <input
            type="search"
            className="search scan-input"
            data-testid="holds-filter"
            placeholder={t("trace.holds.filter")}
            aria-label={t("trace.holds.filter")}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <div className="tabs" role="radiogroup">
            <button type="button" role="radio" aria-checked={active} className={`tab${active ? " active" : ""}`} data-testid="holds-active" onClick={() => setParam("all", null)}>
              {t("trace.holds.active")}
            </button>
            <button type="button" role="radio" aria-checked={!active} className={`tab${!active ? " active" : ""}`} data-testid="holds-all" onClick={() => setParam("all", "1")}>
              {t("trace.holds.all")}
            </button>
          </div>
          {recallId !== undefined && (
            <button type="button" className="chip chip-active" data-testid="holds-recall-filter" onClick={() => setParam("recall_id", null)}>
              {t("trace.holds.ofRecall", { code: codes.get(recallId) ?? `#${recallId}` })} ✕
            </button>
          )}
        </div>
      </div>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {query.isLoading ? (
        <div className="page-loading">{t("common.loading")}</div>
      ) : (
        <>
          <ClientGrid<Hold> testid="holds-grid" rows={rows} columns={columns} rowId={(r) => String(r.id)} quickFilter={filter} height="calc(100vh - var(--top) - 170px)" />
          <div className="muted small" data-testid="holds-total">
            {t("trace.holds.total", { count: rows.length, n: formatCount(rows.length, i18n.language) })}
            {rows.length >= LIMIT && ` · ${t("trace.holds.limited", { n: formatCount(LIMIT, i18n.language) })}`}
          </div>
        </>
      )}
      {releasing && (
        <ReasonDialog
          title={t("trace.holds.releaseTitle", { label: releasing.label })}
          confirmLabel={t("trace.holds.release")}
          onConfirm={async (reason) => {
            await traceApi.releaseHold(releasing.id, reason);
            await queryClient.invalidateQueries({ queryKey: ["trace"] });
          }}
          onClose={() => setReleasing(null)}
        />
      )}
    </div>
  );
}
