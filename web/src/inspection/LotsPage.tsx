import { useCallback, useMemo } from "react";
import type { ColDef, ICellRendererParams } from "ag-grid-community";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { ServerGrid, type PageRequest } from "../components/ServerGrid";
import { formatDateTime } from "../lib/format";
import { aqlLabel, inspectionApi, LOT_KINDS, LOT_STATUSES, type Lot, type LotKind, type LotStatus } from "./api";
import "./inspection.css";
import { LotStatusBadge } from "./LotStatusBadge";
import { NewLotDrawer } from "./NewLotDrawer";
import { byId, useItems } from "./refs";

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

/** Inspection lots: filter by status and kind, open one to enter results, create a new one. */
export default function LotsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") ?? "") as LotStatus | "";
  const kind = (params.get("kind") ?? "") as LotKind | "";
  const creating = params.get("new") === "1";
  const { items } = useItems();
  const itemsById = useMemo(() => byId(items), [items]);

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };

  const columns = useMemo<ColDef<Lot>[]>(
    () => [
      { field: "lot_number", headerName: t("inspection.lot.lotNumber"), minWidth: 140, sortable: false },
      {
        colId: "item",
        headerName: t("fields.item_id"),
        minWidth: 180,
        sortable: false,
        valueGetter: (p) => {
          const item = p.data ? itemsById.get(p.data.item_id) : undefined;
          return item ? `${item.code} · ${item.name}` : p.data ? `#${p.data.item_id}` : "";
        },
      },
      { field: "status", headerName: t("fields.status"), minWidth: 120, sortable: false, cellRenderer: StatusCell },
      { colId: "outcome", headerName: t("inspection.lots.outcome"), minWidth: 165, sortable: false, cellRenderer: OutcomeCell },
      {
        field: "kind",
        headerName: t("fields.kind"),
        minWidth: 100,
        sortable: false,
        valueFormatter: (p) => (p.value ? t(`inspection.kind.${p.value}`) : ""),
      },
      { field: "quantity", headerName: t("fields.quantity"), minWidth: 100, sortable: false, type: "rightAligned" },
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
        sortable: false,
        valueFormatter: (p) => formatDateTime(p.value as string, i18n.language),
      },
    ],
    [t, i18n.language, itemsById],
  );

  const fetchPage = useCallback(
    (r: PageRequest) =>
      inspectionApi.listLots({ limit: r.limit, offset: r.offset, status: status || undefined, kind: kind || undefined }),
    [status, kind],
  );

  return (
    <div className="page inspection-page" data-testid="lots-page">
      <div className="page-head">
        <h1>{t("inspection.lots.title")}</h1>
        <div className="toolbar">
          <select
            aria-label={t("fields.status")}
            data-testid="lots-status-filter"
            className="filter-select"
            value={status}
            onChange={(e) => setFilter("status", e.target.value)}
          >
            <option value="">{t("inspection.lots.allStatuses")}</option>
            {LOT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`inspection.status.${s}`)}
              </option>
            ))}
          </select>
          <select
            aria-label={t("fields.kind")}
            data-testid="lots-kind-filter"
            className="filter-select"
            value={kind}
            onChange={(e) => setFilter("kind", e.target.value)}
          >
            <option value="">{t("inspection.lots.allKinds")}</option>
            {LOT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`inspection.kind.${k}`)}
              </option>
            ))}
          </select>
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
        refreshKey={`${status}|${kind}|${creating}`}
        onRowClick={(row) => navigate(`/inspection/lots/${row.id}`)}
      />
      {creating && <NewLotDrawer onClose={() => setFilter("new", "")} />}
    </div>
  );
}
