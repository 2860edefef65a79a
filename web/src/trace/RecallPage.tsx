/**
 * One recall or drill: the suspect set, its blast radius (counts, quantities per product, customers,
 * the lots, units and containers reached), the mass balance of the suspect lots, the time the answer
 * took; holds on everything reachable in one action, closing, and the report as PDF or Excel.
 */
import { useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { ReasonDialog } from "../components/ReasonDialog";
import { formatDateTime, utc } from "../lib/format";
import { KINDS, traceApi, traceKeys, type Disposition, type Recall } from "./api";
import { formatCount, formatMs, formatQuantity } from "./format";
import { HoldDialog } from "./HoldDialog";
import { MassBalanceTable } from "./MassBalanceTable";
import { ScopeGrids } from "./ScopeGrids";
import { SuspectSummary } from "./SuspectSummary";
import { DrillBadge, RecallStatusBadge } from "./TraceBadges";
import { useTraceErrorText } from "./useTraceErrorText";
import "./trace.css";

function Tiles({ recall }: { recall: Recall }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="kpi-row blast-tiles" data-testid="blast-radius">
      {KINDS.map((k) => (
        <div key={k} className={`kpi kpi-kind kpi-${k}`} data-testid={`count-${k}`}>
          <div className="kpi-value">{formatCount(recall.counts?.[k] ?? 0, i18n.language)}</div>
          <div className="kpi-label">{t(`trace.kindPlural.${k}`)}</div>
        </div>
      ))}
      <div className="kpi" data-testid="answer-time">
        <div className="kpi-value">{formatMs(recall.answer_ms, i18n.language)}</div>
        <div className="kpi-label">{t("trace.recall.answerTime")}</div>
      </div>
      <Link to={`/trace/holds?recall_id=${recall.id}`} className={`kpi kpi-link${recall.holds ? " kpi-danger" : ""}`} data-testid="hold-count">
        <div className="kpi-value">{formatCount(recall.holds, i18n.language)}</div>
        <div className="kpi-label">{t("trace.recall.holds")}</div>
      </Link>
    </div>
  );
}

function Quantities({ recall }: { recall: Recall }) {
  const { t, i18n } = useTranslation();
  const rows = recall.quantities ?? [];
  if (rows.length === 0) return null;
  return (
    <section className="panel" data-testid="quantities">
      <h2>{t("trace.recall.quantities")}</h2>
      <div className="table-scroll">
        <table className="table table-middle">
          <thead>
            <tr>
              <th>{t("trace.field.product")}</th>
              <th>{t("trace.recall.reachedAs")}</th>
              <th className="num">{t("trace.field.quantity")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((q, i) => (
              <tr key={i}>
                <td>
                  {q.name ?? q.product}
                  {q.name && <span className="muted"> · {q.product}</span>}
                </td>
                <td>{t(`trace.recall.reached.${q.kind}`)}</td>
                <td className="num">{formatQuantity(q.quantity, q.uom, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Customers({ recall }: { recall: Recall }) {
  const { t, i18n } = useTranslation();
  const rows = recall.items?.customer ?? [];
  return (
    <section className="panel" data-testid="customers">
      <h2>
        {t("trace.recall.customers")} <span className="muted">({formatCount(recall.counts?.customer ?? 0, i18n.language)})</span>
      </h2>
      {rows.length === 0 ? (
        <p className="muted">{t("trace.recall.noCustomers")}</p>
      ) : (
        <ul className="customer-list">
          {rows.map((c) => (
            <li key={c.id} data-testid="customer">
              <strong>{c.name ?? c.label}</strong>
              {c.name && <span className="muted"> ({c.label})</span>}
              {c.quantity !== null && <span className="muted"> · {formatQuantity(c.quantity, c.uom, i18n.language)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function RecallPage() {
  const { t, i18n } = useTranslation();
  const { errorText } = useTraceErrorText();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const id = Number(useParams().recallId);
  const [dialog, setDialog] = useState<"hold" | "close" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const query = useQuery({ queryKey: traceKeys.recall(id), queryFn: () => traceApi.recall(id), enabled: Number.isFinite(id) });
  const recall = query.data;
  const holdsQuery = useQuery({
    queryKey: traceKeys.holds({ recall_id: id, active: true, limit: 5000 }),
    queryFn: () => traceApi.holds({ recall_id: id, active: true, limit: 5000 }),
    enabled: Boolean(recall?.holds),
  });
  const liveHolds = useMemo(() => new Map((holdsQuery.data ?? []).map((h) => [h.node, h.disposition])), [holdsQuery.data]);

  const update = (next: Recall) => {
    queryClient.setQueryData(traceKeys.recall(id), next);
    void queryClient.invalidateQueries({ queryKey: traceKeys.recalls });
    void queryClient.invalidateQueries({ queryKey: ["trace", "holds"] });
  };
  const placeHolds = async (disposition: Disposition, reason: string) => {
    const before = recall?.holds ?? 0;
    const next = await traceApi.placeHolds(id, disposition, reason);
    update(next);
    setNotice(t("trace.recall.holdsPlaced", { count: next.holds - before, n: formatCount(next.holds - before, i18n.language) }));
  };
  const rescope = async () => {
    setBusy(true);
    setError(null);
    try {
      update(await traceApi.rescope(id));
      setNotice(t("trace.recall.rescoped"));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (query.isLoading) return <div className="page-loading">{t("common.loading")}</div>;
  if (query.error || !recall) return <div className="alert alert-error">{errorText(query.error)}</div>;
  const holdable = (recall.counts?.lot ?? 0) + (recall.counts?.unit ?? 0) + (recall.counts?.container ?? 0);
  const canHold = can("trace.hold") && recall.status === "scoped" && !recall.drill;
  const holdWhy = !can("trace.hold")
    ? t("trace.recall.holdNeedsPermission")
    : recall.drill
      ? t("trace.recall.holdDrill")
      : recall.status !== "scoped"
        ? t("trace.recall.holdState")
        : undefined;

  return (
    <div className="page trace-page recall-page" data-testid="recall-page">
      <div className="page-head">
        <div>
          <Link to="/trace/recalls" className="muted small">
            ← {t("trace.recalls.title")}
          </Link>
          <h1 data-testid="recall-title">
            <span className="mono">{recall.code}</span> · {recall.title}
          </h1>
          <div className="record-meta small">
            <RecallStatusBadge status={recall.status} />
            <DrillBadge drill={recall.drill} />
            <span className="muted" title={utc(recall.created_at)}>
              {t("trace.recall.createdBy", { who: recall.created_by, when: formatDateTime(recall.created_at, i18n.language) })}
            </span>
            {recall.scoped_at && (
              <span className="muted" title={utc(recall.scoped_at)}>
                {t("trace.recall.scopedAt", { when: formatDateTime(recall.scoped_at, i18n.language) })}
              </span>
            )}
            {recall.closed_at && (
              <span className="muted" title={utc(recall.closed_at)}>
                {t("trace.recall.closedAt", { when: formatDateTime(recall.closed_at, i18n.language) })}
              </span>
            )}
          </div>
        </div>
        <div className="toolbar">
          <a className="btn" href={traceApi.reportUrl(id, "pdf", i18n.language)} data-testid="report-pdf" download>
            {t("trace.recall.reportPdf")}
          </a>
          <a className="btn" href={traceApi.reportUrl(id, "xlsx", i18n.language)} data-testid="report-xlsx" download>
            {t("trace.recall.reportXlsx")}
          </a>
          {can("trace.hold") && recall.status === "scoped" && (
            <button type="button" className="btn" data-testid="recall-rescope" disabled={busy} onClick={() => void rescope()}>
              {busy ? t("trace.recalls.scoping") : t("trace.recall.rescope")}
            </button>
          )}
          {can("trace.hold") && recall.status !== "closed" && (
            <button type="button" className="btn" data-testid="recall-close" onClick={() => setDialog("close")}>
              {t("trace.recall.close")}
            </button>
          )}
          <span title={holdWhy}>
            <button type="button" className="btn btn-danger" data-testid="place-holds" disabled={!canHold} onClick={() => setDialog("hold")}>
              {t("trace.recall.placeHolds")}
            </button>
          </span>
        </div>
      </div>
      {notice && (
        <div className="alert alert-ok" role="status" data-testid="recall-notice">
          {notice}
        </div>
      )}
      {error && <div className="alert alert-error">{error}</div>}
      <SuspectSummary suspect={recall.suspect} />
      <Tiles recall={recall} />
      <div className="recall-grid">
        <Quantities recall={recall} />
        <Customers recall={recall} />
      </div>
      <ScopeGrids recall={recall} holds={liveHolds} />
      <MassBalanceTable rows={recall.mass_balance ?? []} />
      {dialog === "hold" && (
        <HoldDialog
          title={t("trace.recall.placeHoldsTitle", { code: recall.code })}
          intro={t("trace.recall.placeHoldsIntro", { n: formatCount(holdable, i18n.language), count: holdable })}
          confirmLabel={t("trace.recall.placeHolds")}
          onConfirm={placeHolds}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "close" && (
        <ReasonDialog
          title={t("trace.recall.closeTitle", { code: recall.code })}
          confirmLabel={t("trace.recall.close")}
          onConfirm={async (reason) => {
            update(await traceApi.closeRecall(id, reason));
            setNotice(t("trace.recall.closed"));
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
