import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { formatDateTime, utc } from "../lib/format";
import { KINDS, traceApi, traceKeys, type Recall } from "./api";
import { formatCount, formatMs } from "./format";
import { recallUrl } from "./links";
import { NewRecallDrawer } from "./NewRecallDrawer";
import { DrillBadge, RecallStatusBadge } from "./TraceBadges";
import { useTraceErrorText } from "./useTraceErrorText";
import "./trace.css";

function Counts({ recall }: { recall: Recall }) {
  const { t, i18n } = useTranslation();
  if (!recall.counts) return <span className="muted">—</span>;
  return (
    <span className="recall-counts">
      {KINDS.filter((k) => recall.counts?.[k]).map((k) => (
        <span key={k} className="nowrap">
          <strong>{formatCount(recall.counts?.[k], i18n.language)}</strong> {t(`trace.kindPlural.${k}`)}
        </span>
      ))}
    </span>
  );
}

/** Recalls and mock-recall drills, newest first; a new one is scoped as soon as it is created. */
export default function RecallsPage() {
  const { t, i18n } = useTranslation();
  const { errorText } = useTraceErrorText();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const creating = params.get("new") === "1";
  const query = useQuery({ queryKey: traceKeys.recalls, queryFn: traceApi.recalls });
  const recalls = query.data ?? [];
  const setCreating = (on: boolean) => setParams(on ? { new: "1" } : {}, { replace: true });

  return (
    <div className="page trace-page" data-testid="recalls-page">
      <div className="page-head">
        <h1>{t("trace.recalls.title")}</h1>
        <div className="toolbar">
          <Link className="btn" to="/trace/holds">
            {t("trace.nav.holds")}
          </Link>
          {can("trace.hold") && (
            <button type="button" className="btn btn-primary" data-testid="new-recall" onClick={() => setCreating(true)}>
              {t("trace.recalls.new")}
            </button>
          )}
        </div>
      </div>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {query.isLoading && <div className="page-loading">{t("common.loading")}</div>}
      {query.data && recalls.length === 0 && (
        <div className="panel empty-state" data-testid="recalls-empty">
          <p>{t("trace.recalls.empty")}</p>
          {can("trace.hold") && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              {t("trace.recalls.new")}
            </button>
          )}
        </div>
      )}
      {recalls.length > 0 && (
        <div className="panel table-scroll">
          <table className="table table-middle recalls-table" data-testid="recalls-table">
            <thead>
              <tr>
                <th>{t("trace.recall.code")}</th>
                <th>{t("trace.recall.title")}</th>
                <th>{t("fields.status")}</th>
                <th>{t("trace.recall.blastRadius")}</th>
                <th className="num">{t("trace.recall.holds")}</th>
                <th className="num">{t("trace.recall.answerTime")}</th>
                <th>{t("trace.recall.created")}</th>
              </tr>
            </thead>
            <tbody>
              {recalls.map((r) => (
                <tr key={r.id} className="clickable-row" data-testid={`recall-row-${r.id}`} onClick={() => navigate(recallUrl(r.id))}>
                  <td className="nowrap">
                    <Link to={recallUrl(r.id)} className="mono" onClick={(e) => e.stopPropagation()}>
                      {r.code}
                    </Link>
                  </td>
                  <td>
                    {r.title} <DrillBadge drill={r.drill} />
                  </td>
                  <td>
                    <RecallStatusBadge status={r.status} />
                  </td>
                  <td>
                    <Counts recall={r} />
                  </td>
                  <td className="num">{formatCount(r.holds, i18n.language)}</td>
                  <td className="num nowrap">{formatMs(r.answer_ms, i18n.language)}</td>
                  <td className="nowrap" title={utc(r.created_at)}>
                    {formatDateTime(r.created_at, i18n.language)}
                    <div className="muted small">{r.created_by}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <NewRecallDrawer onClose={() => setCreating(false)} />}
    </div>
  );
}
