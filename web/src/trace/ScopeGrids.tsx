import { useMemo, useRef, useState } from "react";
import type { ColDef, ICellRendererParams } from "ag-grid-community";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { isSupplierLot, KINDS, type Kind, type Recall, type ScopeItem } from "./api";
import { ClientGrid, type ClientGridHandle } from "./ClientGrid";
import { formatCount, formatQuantity } from "./format";
import { graphUrl } from "./links";
import { HoldBadge, KindBadge } from "./TraceBadges";

function HoldCell({ data }: ICellRendererParams<ScopeItem>) {
  return data ? <HoldBadge hold={data.hold} /> : null;
}

function SuspectCell({ data }: ICellRendererParams<ScopeItem>) {
  const { t } = useTranslation();
  return data?.suspect ? <span className="badge badge-warn">{t("trace.recall.suspectMark")}</span> : null;
}

function IdentityCell({ data }: ICellRendererParams<ScopeItem>) {
  return data ? (
    <span>
      {isSupplierLot(data.id) && <KindBadge kind="lot" id={data.id} />}
      {data.label}
    </span>
  ) : null;
}

/** The identities of a recall's blast radius, one tab per kind, each a virtualised grid with CSV export. */
export function ScopeGrids({ recall, holds }: { recall: Recall; holds: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const grid = useRef<ClientGridHandle>(null);
  const present = KINDS.filter((k) => (recall.counts?.[k] ?? 0) > 0);
  const [chosen, setChosen] = useState<Kind | null>(null);
  const kind: Kind | undefined = chosen && present.includes(chosen) ? chosen : present[0];
  // The stored scope keeps the hold state of when it was computed; the live holds win.
  const rows = useMemo(
    () => (kind ? (recall.items?.[kind] ?? []) : []).map((r) => (holds.has(r.id) ? { ...r, hold: holds.get(r.id) ?? r.hold } : r)),
    [recall.items, kind, holds],
  );
  const total = kind ? (recall.counts?.[kind] ?? 0) : 0;

  const columns = useMemo<ColDef<ScopeItem>[]>(
    () => [
      { field: "label", headerName: t("trace.field.identity"), minWidth: 220, cellRenderer: IdentityCell },
      { field: "product", headerName: t("trace.field.product"), minWidth: 140, valueFormatter: (p) => p.data?.name ?? p.value ?? "" },
      { field: "lot", headerName: t("trace.field.lot"), minWidth: 110 },
      {
        field: "quantity",
        headerName: t("trace.field.quantity"),
        type: "rightAligned",
        minWidth: 110,
        valueFormatter: (p) => formatQuantity(p.value as number | null, p.data?.uom, i18n.language),
      },
      { field: "depth", headerName: t("trace.field.level"), type: "rightAligned", minWidth: 80, maxWidth: 100 },
      { field: "suspect", headerName: t("trace.recall.suspectMark"), minWidth: 100, maxWidth: 130, cellRenderer: SuspectCell },
      { field: "hold", headerName: t("trace.field.hold"), minWidth: 120, cellRenderer: HoldCell },
    ],
    [t, i18n.language],
  );

  if (!kind) return null;
  return (
    <section className="panel" data-testid="scope-grids">
      <div className="panel-head">
        <div className="tabs" role="tablist">
          {present.map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={k === kind}
              className={`tab${k === kind ? " active" : ""}`}
              data-testid={`scope-tab-${k}`}
              onClick={() => setChosen(k)}
            >
              {t(`trace.kindPlural.${k}`)} ({formatCount(recall.counts?.[k], i18n.language)})
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-small" onClick={() => grid.current?.exportCsv(`${recall.code}-${kind}.csv`)}>
          {t("trace.list.exportCsv")}
        </button>
      </div>
      {rows.length < total && (
        <p className="muted small" data-testid="scope-capped">
          {t("trace.recall.capped", { shown: formatCount(rows.length, i18n.language), total: formatCount(total, i18n.language) })}
        </p>
      )}
      <ClientGrid<ScopeItem>
        key={kind}
        ref={grid}
        testid={`scope-grid-${kind}`}
        rows={rows}
        columns={columns}
        rowId={(r) => r.id}
        height="360px"
        onRowClick={(r) => navigate(graphUrl(r.id))}
      />
    </section>
  );
}
