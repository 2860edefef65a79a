import { useCallback, useEffect, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { plantApi } from "../api/plant";
import type { Gauge, Item } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { inspectionApi, inspectionKeys, type Lot, type LotResults, type PlanLine } from "./api";
import { DecisionPanel } from "./DecisionPanel";
import { EntryGrid } from "./EntryGrid";
import "./inspection.css";
import { LotStatusBadge } from "./LotStatusBadge";
import { byId, useGauges, useLines, useSuppliers } from "./refs";
import { SamplingFacts } from "./SamplingFacts";
import { SummaryPanel } from "./SummaryPanel";
import { gaugeState } from "./spec";
import { useEntry, type CellWarning, type Entry } from "./useEntry";
import { useInspectionErrorText } from "./useInspectionErrorText";

/** Saved, saving, unsaved or failed: for the whole grid, in words. */
function SaveStatus({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  const { pending, saving, error, invalid } = entry.counts;
  const state = error > 0 ? "error" : saving > 0 ? "saving" : pending > 0 ? "pending" : "saved";
  const text =
    state === "error"
      ? t("inspection.save.notSaved", { count: error })
      : state === "saving"
        ? t("inspection.save.savingN", { count: saving })
        : state === "pending"
          ? t("inspection.save.pendingN", { count: pending })
          : t("inspection.save.allSaved");
  return (
    <div className={`save-status save-status-${state}`} data-testid="save-status" data-state={state} role="status" aria-live="polite">
      <span aria-hidden className={`save-mark-inline save-${state}`}>
        {{ saved: "●", saving: "◐", pending: "○", error: "!" }[state]}
      </span>{" "}
      {text}
      {invalid > 0 && <span className="save-invalid"> · {t("inspection.save.attention", { count: invalid })}</span>}
      {entry.counts.retryable > 0 && (
        <button type="button" className="btn btn-small" data-testid="save-retry" onClick={() => void entry.flush()}>
          {t("inspection.save.retry")}
        </button>
      )}
    </div>
  );
}

function KeyLegend() {
  const { t } = useTranslation();
  return (
    <p className="key-legend small muted" data-testid="key-legend">
      <kbd>Enter</kbd> {t("inspection.keys.enter")} · <kbd>Tab</kbd> {t("inspection.keys.tab")} · <kbd>Shift</kbd>{" "}
      {t("inspection.keys.shift")} · <kbd>P</kbd>/<kbd>F</kbd> {t("inspection.keys.passFail")} · <kbd>+</kbd>/<kbd>−</kbd>{" "}
      {t("inspection.keys.defects")}
    </p>
  );
}

function ControlPlanDetails({ plan }: { plan: PlanLine[] }) {
  const { t } = useTranslation();
  return (
    <details className="panel control-plan-details">
      <summary>{t("inspection.entry.controlPlan")}</summary>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>{t("fields.code")}</th>
              <th>{t("fields.method")}</th>
              <th>{t("fields.frequency")}</th>
              <th>{t("fields.gauge_type")}</th>
              <th>{t("fields.reaction_plan")}</th>
            </tr>
          </thead>
          <tbody>
            {plan.map((line) => (
              <tr key={line.characteristic_id}>
                <td>
                  <span className="mono">{line.code}</span>
                  <div className="muted small">{line.name}</div>
                </td>
                <td>{line.method ?? "—"}</td>
                <td>{line.frequency ?? "—"}</td>
                <td>{line.gauge_type ?? "—"}</td>
                <td className="reaction-plan">{line.reaction_plan ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/**
 * What the server warned about when it saved results (a gauge out of calibration or overdue):
 * one line per characteristic and gauge, in the user's language where the gauge is known.
 */
function GaugeWarnings({ warnings, plan, gauges }: { warnings: CellWarning[]; plan: PlanLine[]; gauges: Gauge[] }) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  const groups = new Map<string, CellWarning[]>();
  for (const w of warnings) {
    const key = `${w.characteristicId}:${w.gaugeId ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  const problem = (w: CellWarning) => {
    const gauge = gauges.find((g) => g.id === w.gaugeId);
    const state = gaugeState(gauge);
    if (!gauge || state === "ok" || state === "soon") return w.text;
    const what =
      state === "blocked"
        ? t(`enums.gaugeStatus.${gauge.status}`, { defaultValue: gauge.status })
        : t("inspection.gauge.overdue", { date: gauge.calibration_due_on });
    return `${gauge.code}: ${what}`;
  };
  return (
    <div className="alert alert-warn gauge-warnings" role="alert" data-testid="gauge-warnings">
      <strong>⚠ {t("inspection.entry.gaugeWarnings")}</strong>
      <ul>
        {[...groups.entries()].map(([key, ws]) => (
          <li key={key} title={ws[0].text}>
            {t("inspection.entry.gaugeWarningLine", {
              code: plan.find((l) => l.characteristic_id === ws[0].characteristicId)?.code ?? "",
              samples: ws.map((w) => w.sample).join(", "),
              problem: problem(ws[0]),
            })}
          </li>
        ))}
      </ul>
      <div className="small">{t("inspection.entry.gaugeWarningHint")}</div>
    </div>
  );
}

function LotFacts({ lot }: { lot: Lot }) {
  const { t } = useTranslation();
  const item = useQuery({
    queryKey: ["plant", "items", lot.item_id],
    queryFn: () => plantApi.get<Item>("items", lot.item_id),
    staleTime: 60_000,
  }).data;
  const suppliers = byId(useSuppliers(lot.site_id, lot.kind === "incoming"));
  const lines = byId(useLines(lot.site_id, lot.node_id !== null));
  const supplier = lot.supplier_id ? suppliers.get(lot.supplier_id) : undefined;
  const line = lot.node_id ? lines.get(lot.node_id) : undefined;
  return (
    <dl className="props props-compact lot-facts" data-testid="lot-facts">
      <div>
        <dt>{t("fields.item_id")}</dt>
        <dd data-testid="lot-item">{item ? `${item.code} · ${item.name}` : `#${lot.item_id}`}</dd>
      </div>
      <div>
        <dt>{t("fields.kind")}</dt>
        <dd>{t(`inspection.kind.${lot.kind}`)}</dd>
      </div>
      <div>
        <dt>{t("fields.quantity")}</dt>
        <dd>{lot.quantity}</dd>
      </div>
      {lot.kind === "incoming" ? (
        <>
          <div>
            <dt>{t("inspection.lot.supplier")}</dt>
            <dd>{supplier ? `${supplier.code} · ${supplier.name}` : lot.supplier_id ? `#${lot.supplier_id}` : "—"}</dd>
          </div>
          <div>
            <dt>{t("inspection.lot.supplierLot")}</dt>
            <dd>{lot.supplier_lot ?? "—"}</dd>
          </div>
        </>
      ) : (
        <div>
          <dt>{t("inspection.lot.workOrder")}</dt>
          <dd>{lot.work_order ?? "—"}</dd>
        </div>
      )}
      {lot.node_id && (
        <div>
          <dt>{t("inspection.lot.line")}</dt>
          <dd>{line ? `${line.code} · ${line.name}` : `#${lot.node_id}`}</dd>
        </div>
      )}
      <div>
        <dt>{t("inspection.lot.createdBy")}</dt>
        <dd>{lot.created_by}</dd>
      </div>
    </dl>
  );
}

function LotEntry({ data, reload }: { data: LotResults; reload: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const lot = data.lot;
  const key = inspectionKeys.lot(lot.id);
  // The plan is fixed when the lot is created; the grid keeps the first copy it was given.
  const [plan] = useState(() => lot.plan);
  const rows = Math.max(0, ...plan.map((l) => l.sample_size));
  const gauges = useGauges(lot.site_id);
  const decided = lot.status === "decided";
  const readOnly = decided || !can("measure.write");

  const onSaved = useCallback(
    (saved: LotResults) => {
      queryClient.setQueryData(inspectionKeys.lot(saved.lot.id), saved);
      void queryClient.invalidateQueries({ queryKey: ["inspection", "lots"] });
    },
    [queryClient],
  );
  const entry = useEntry({ lotId: lot.id, plan, results: data.results, rowCount: rows, onSaved, onClosed: reload });

  const unsaved = entry.counts.pending + entry.counts.saving + entry.counts.error > 0;
  useEffect(() => {
    if (!unsaved) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsaved]);

  const prepare = async (): Promise<Lot | null> => {
    const ok = await entry.flushAll();
    if (!ok) return null;
    return queryClient.getQueryData<LotResults>(key)?.lot ?? lot;
  };

  const onDecided = (decidedLot: Lot) => {
    queryClient.setQueryData<LotResults>(key, (old) => (old ? { ...old, lot: decidedLot, summary: { ...old.summary } } : old));
    void queryClient.invalidateQueries({ queryKey: ["inspection", "lots"] });
  };

  return (
    <div className="page inspection-page" data-testid="lot-entry-page">
      <div className="page-head">
        <div>
          <Link to="/inspection/lots" className="back-link" data-testid="back-to-lots">
            ← {t("inspection.lots.title")}
          </Link>
          <h1 data-testid="lot-title">
            {t("inspection.entry.title", { lot: lot.lot_number })} <LotStatusBadge status={lot.status} />
          </h1>
        </div>
      </div>
      <section className="panel lot-panel">
        <LotFacts lot={lot} />
        <SamplingFacts plan={lot.sampling} />
      </section>
      <GaugeWarnings warnings={entry.warnings} plan={plan} gauges={gauges} />
      {decided && (
        <div className="alert alert-info" data-testid="lot-readonly">
          {t("inspection.entry.readOnly")}
        </div>
      )}
      {!readOnly && (
        <div className="entry-toolbar">
          <SaveStatus entry={entry} />
          <KeyLegend />
        </div>
      )}
      <EntryGrid plan={plan} rows={rows} entry={entry} gauges={gauges} readOnly={readOnly} />
      <div className="entry-bottom">
        <SummaryPanel lot={lot} summary={data.summary} />
        <DecisionPanel
          key={lot.status}
          lot={lot}
          canDecide={can("inspection.decide")}
          prepare={prepare}
          onDecided={onDecided}
          onConflict={reload}
        />
      </div>
      <ControlPlanDetails plan={plan} />
    </div>
  );
}

/** The entry grid of one lot (`/inspection/lots/:lotId`). */
export default function LotEntryPage() {
  const { t } = useTranslation();
  const { errorText } = useInspectionErrorText();
  const { lotId = "" } = useParams();
  const id = Number(lotId);
  const valid = Number.isInteger(id) && id > 0;
  const query = useQuery({
    queryKey: inspectionKeys.lot(id),
    queryFn: () => inspectionApi.getLot(id),
    enabled: valid,
    refetchOnWindowFocus: false,
  });
  if (!valid) return <div className="card">{t("errors.notFound")}</div>;
  if (query.error) return <div className="alert alert-error">{errorText(query.error)}</div>;
  if (!query.data) return <div className="page-loading">{t("common.loading")}</div>;
  return <LotEntry key={id} data={query.data} reload={() => void query.refetch()} />;
}
