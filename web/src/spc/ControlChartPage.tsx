import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { Drawer } from "../components/Drawer";
import { useErrorText } from "../lib/errorText";
import { formatDateTime } from "../lib/format";
import { spcApi, spcKeys, type ChartData } from "./api";
import { CharacteristicHeader } from "./CharacteristicHeader";
import { buildControlChart } from "./chartOption";
import { EChart } from "./EChart";
import { chartKey, formatNumber } from "./format";
import { LimitSetForm } from "./LimitSetForm";
import { LimitSetHistory } from "./LimitSetHistory";
import { RuleLabel } from "./RuleLabel";

const SHOW_VIOLATIONS = 25;

function Violations({ data }: { data: ChartData }) {
  const { t, i18n } = useTranslation();
  const rows = data.points.filter((p) => p.violations.length > 0).reverse();
  if (rows.length === 0) {
    return (
      <p className="alert alert-ok" data-testid="no-violations">
        {t("spc.chart.noViolations")}
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" data-testid="violations">
        <thead>
          <tr>
            <th>{t("spc.chart.time")}</th>
            <th>{t("spc.chart.statistic")}</th>
            <th>{t("spc.alarm.rule")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, SHOW_VIOLATIONS).map((p) => (
            <tr key={p.id} data-testid="violation-marker" data-point={p.id}>
              <td className="nowrap">{formatDateTime(p.ts, i18n.language)}</td>
              <td className="nowrap">
                <strong className="text-danger">{formatNumber(p.statistic, i18n.language)}</strong>
                <div className="muted small">
                  LCL {formatNumber(p.lcl, i18n.language)} · UCL {formatNumber(p.ucl, i18n.language)}
                </div>
              </td>
              <td>
                {p.violations.map((rule) => (
                  <div key={rule}>
                    <RuleLabel rule={rule} />
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the Phase I study is: its size, given or estimated limits, and whether it reproduces. */
function StudyNote({ study }: { study: NonNullable<ChartData["phase1"]> }) {
  const { t } = useTranslation();
  const how = study.given === true ? t("spc.chart.studyGiven") : study.given === false ? t("spc.chart.studyEstimated") : "";
  return (
    <span className={`small ${study.reproduced ? "muted" : "text-danger"}`} data-testid="phase1-note" data-reproduced={study.reproduced}>
      {t("spc.chart.studySummary", { points: study.points_total })}
      {how && ` · ${how}`}
      {" · "}
      {study.reproduced ? t("spc.chart.studyReproduced") : t("spc.chart.studyChanged")}
    </span>
  );
}

/** Control chart of one characteristic with its limit-set history and the form for a new set. */
export default function ControlChartPage() {
  const { characteristicId = "" } = useParams();
  const id = Number(characteristicId);
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { errorText } = useErrorText();
  const [creating, setCreating] = useState(false);
  const query = useQuery({ queryKey: spcKeys.chart(id), queryFn: () => spcApi.chart(id), enabled: id > 0 });
  const data = query.data;
  const option = useMemo(() => (data ? buildControlChart(data, t, i18n.language) : null), [data, t, i18n.language]);
  const violations = data?.points.filter((p) => p.violations.length > 0).length ?? 0;

  return (
    <div className="page spc-page" data-testid="spc-chart-page">
      <CharacteristicHeader id={id} title={t("spc.chart.title")} testid="chart-title" />
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {query.isLoading && <div className="page-loading">{t("common.loading")}</div>}
      {data && (
        <>
          <section className="panel">
            <div className="panel-head">
              <h2>{t(`spc.chartType.${chartKey(data.active?.chart ?? "xbar.one")}`)}</h2>
              <div className="toolbar">
                <span className="muted small" data-testid="chart-summary">
                  {t("spc.chart.summary", { points: data.points.length, violations })}
                </span>
                {data.phase1 && <StudyNote study={data.phase1} />}
                <button className="btn btn-small" onClick={() => void query.refetch()}>
                  {t("common.reload")}
                </button>
              </div>
            </div>
            {data.points.length === 0 && !data.phase1?.points.length ? (
              <p className="muted" data-testid="chart-empty">
                {data.active ? t("spc.chart.emptyActive") : t("spc.chart.emptyNoLimits")}
              </p>
            ) : (
              <div
                className="control-chart"
                data-testid="control-chart"
                data-points={data.points.length}
                data-phase1={data.phase1?.points.length ?? 0}
                data-violations={violations}
              >
                {option && <EChart option={option} label={t("spc.chart.aria", { points: data.points.length, violations })} className="echart echart-control" />}
              </div>
            )}
          </section>
          <div className="chart-grid">
            <section className="panel">
              <div className="panel-head">
                <h2>{t("spc.limits.title")}</h2>
                {can("spc.write") && (
                  <button className="btn btn-small btn-primary" data-testid="new-limit-set" onClick={() => setCreating(true)}>
                    {t("spc.limits.new")}
                  </button>
                )}
              </div>
              <LimitSetHistory sets={data.limit_sets} />
            </section>
            <section className="panel">
              <h2>{t("spc.chart.violations")}</h2>
              <Violations data={data} />
            </section>
          </div>
        </>
      )}
      {creating && (
        <Drawer title={t("spc.limits.new")} onClose={() => setCreating(false)} testid="limit-set-drawer">
          <LimitSetForm characteristicId={id} active={data?.active ?? null} onDone={() => setCreating(false)} />
        </Drawer>
      )}
    </div>
  );
}
