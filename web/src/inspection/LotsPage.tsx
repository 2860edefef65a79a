import { useCallback, useEffect, useMemo, useState } from "react";
import type { ColDef, ICellRendererParams } from "ag-grid-community";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { ServerGrid, type PageRequest } from "../components/ServerGrid";
import { formatDateTime } from "../lib/format";
import { useSite } from "../shell/SiteContext";
import { aqlLabel, inspectionApi, LOT_KINDS, LOT_STATUSES, type Lot, type LotKind, type LotSort, type LotStatus } from "./api";
import "./inspection.css";
import { LotStatusBadge } from "./LotStatusBadge";
import { NewLotDrawer } from "./NewLotDrawer";
import { FilterSelect } from "../components/FilterSelect";

/** Columns the server sorts by (`sort=field|-field`); newest first when none is chosen. */
const SORTABLE = new Set(["created_at", "lot_number", "status", "quantity"]);

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function StatusCell({ data }: ICellRendererParams<Lot>) {
  return data ? <LotStatusBadge status={data.status} /> : null;
}

function OutcomeCell({ data }: ICellRendererParams<Lot>) {
  const { t } = useTranslation();
  if (!data) return null;
  if (data.decision) {
    const tone = { accept: "ok", reject: "danger", conditional: "warn" }[data.decision];
    const glyph = { accept: "✓", reject: "✗", conditional: "!" }[data.decision];
    return (
      <span className={`badge badge-${tone}`}>
        {glyph} {t(`inspection.decision.${data.decision}`)}
      </span>
    );
  }
  // Only a suggestion until someone decides: plain text, not a badge.
  if (!data.recommendation) return null;
  const text = t("inspection.lots.suggested", { what: t(`inspection.recommendation.${data.recommendation}`) });
  return (
    <span className="muted" title={text}>
      {text}
    </span>
  );
}

/**
 * Inspection lots: search (lot number, supplier lot, work order, item code), filter by site,
 * status and kind, sort on the server, open one to enter results, create a new one.
 */
export default function LotsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") ?? "") as LotStatus | "";
  const kind = (params.get("kind") ?? "") as LotKind | "";
  const creating = params.get("new") === "1";
  const { sites, site } = useSite();
  // An empty site stays in the URL: "all sites" chosen here wins over the site of the top bar.
  const siteId = params.get("site_id") ?? (site ? String(site.id) : "");
  const [search, setSearch] = useState(params.get("q") ?? "");
  const q = useDebounced(search.trim(), 300);

  const setFilter = useCallback(
    (name: string, value: string) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (value || name === "site_id") next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: name === "q" },
      );
    },
    [setParams],
  );

  useEffect(() => {
    if (q !== (params.get("q") ?? "")) setFilter("q", q);
  }, [q, params, setFilter]);

  const columns = useMemo<ColDef<Lot>[]>(
    () => [
      { field: "lot_number", headerName: t("inspection.lot.lotNumber"), minWidth: 140 },
      {
        colId: "item",
        headerName: t("fields.item_id"),
        minWidth: 180,
        sortable: false,
        valueGetter: (p) => {
          if (!p.data) return "";
          return p.data.item_code ? `${p.data.item_code} · ${p.data.item_name ?? ""}` : `#${p.data.item_id}`;
        },
      },
      { field: "status", headerName: t("fields.status"), minWidth: 120, cellRenderer: StatusCell },
      { colId: "outcome", headerName: t("inspection.lots.outcome"), minWidth: 165, sortable: false, cellRenderer: OutcomeCell },
      {
        field: "kind",
        headerName: t("fields.kind"),
        minWidth: 100,
        sortable: false,
        valueFormatter: (p) => (p.value ? t(`inspection.kind.${p.value}`) : ""),
      },
      { field: "quantity", headerName: t("fields.quantity"), minWidth: 100, type: "rightAligned" },
      {
        colId: "plan",
        headerName: t("inspection.lots.plan"),
        minWidth: 230,
        sortable: false,
        valueGetter: (p) => {
          const s = p.data?.sampling;
          if (!s) return "";
          return s.accept !== undefined && s.accept !== null
            ? `${s.code_letter} · n=${s.sample_size} · Ac ${s.accept} / Re ${s.reject} · AQL ${aqlLabel(s.aql)}`
            : "—";
        },
      },
      {
        field: "created_at",
        headerName: t("fields.created_at"),
        minWidth: 170,
        valueFormatter: (p) => formatDateTime(p.value as string, i18n.language),
      },
    ],
    [t, i18n.language],
  );

  const fetchPage = useCallback(
    (r: PageRequest) =>
      inspectionApi.listLots({
        limit: r.limit,
        offset: r.offset,
        status: status || undefined,
        kind: kind || undefined,
        site_id: siteId ? Number(siteId) : undefined,
        q: q || undefined,
        sort: r.sort && SORTABLE.has(r.sort.replace(/^-/, "")) ? (r.sort as LotSort) : undefined,
      }),
    [status, kind, siteId, q],
  );

  return (
    <div className="page inspection-page" data-testid="lots-page">
      <div className="page-head">
        <h1>{t("inspection.lots.title")}</h1>
        <div className="toolbar">
          <input
            type="search"
            className="search"
            data-testid="lots-search"
            placeholder={t("inspection.lots.search")}
            title={t("inspection.lots.searchHint")}
            aria-label={t("inspection.lots.searchHint")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <FilterSelect
            label={t("fields.site_id")}
            testid="lots-site-filter"
            value={siteId}
            allLabel={t("shell.allSites")}
            options={sites.map((s) => ({ value: String(s.id), label: `${s.code} · ${s.name}` }))}
            onChange={(v) => setFilter("site_id", v)}
          />
          <FilterSelect
            label={t("fields.status")}
            testid="lots-status-filter"
            value={status}
            allLabel={t("inspection.lots.allStatuses")}
            options={LOT_STATUSES.map((v) => ({ value: v, label: t(`inspection.status.${v}`) }))}
            onChange={(v) => setFilter("status", v)}
          />
          <FilterSelect
            label={t("fields.kind")}
            testid="lots-kind-filter"
            value={kind}
            allLabel={t("inspection.lots.allKinds")}
            options={LOT_KINDS.map((v) => ({ value: v, label: t(`inspection.kind.${v}`) }))}
            onChange={(v) => setFilter("kind", v)}
          />
          {can("measure.write") && (
            <button className="btn btn-primary" data-testid="new-lot-button" onClick={() => setFilter("new", "1")}>
              {t("inspection.newLot.button")}
            </button>
          )}
        </div>
      </div>
      <ServerGrid<Lot>
        testid="lots-grid"
        columns={columns}
        fetchPage={fetchPage}
        refreshKey={`${status}|${kind}|${siteId}|${q}|${creating}`}
        onRowClick={(row) => navigate(`/inspection/lots/${row.id}`)}
      />
      {creating && <NewLotDrawer onClose={() => setFilter("new", "")} />}
    </div>
  );
}
