import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { useErrorText } from "../lib/errorText";
import { formatDateTime, utc } from "../lib/format";
import { useSite } from "../shell/SiteContext";
import { AlarmActions, AlarmStatusBadge, ReadingTime } from "./AlarmActions";
import { spcApi, spcKeys, type Alarm, type AlarmStatus } from "./api";
import { formatDuration, formatNumber, useNow } from "./format";
import { RuleLabel } from "./RuleLabel";

const STATUSES: AlarmStatus[] = ["raised", "acknowledged", "resolved"];
const LIMIT = 200;

function Step({ who, when, testid }: { who: string | null; when: string | null; testid: string }) {
  const { i18n } = useTranslation();
  if (!when) return <span className="muted">—</span>;
  return (
    <div data-testid={testid}>
      <strong>{who ?? "—"}</strong>
      <div className="muted small" title={utc(when)}>
        {formatDateTime(when, i18n.language)}
      </div>
    </div>
  );
}

function AlarmRow({ a, now }: { a: Alarm; now: number }) {
  const { t, i18n } = useTranslation();
  const { sites } = useSite();
  const site = sites.find((s) => s.id === a.site_id)?.code ?? String(a.site_id);
  const end = a.resolved_at ? Date.parse(a.resolved_at) : now;
  return (
    <tr data-testid={`alarm-record-${a.id}`} className={`alarm-${a.status}`}>
      <td>
        <div className="alarm-title">
          <span className="muted">#{a.id}</span> <AlarmStatusBadge status={a.status} />
        </div>
        <Link to={`/spc/chart/${a.characteristic_id}`}>{a.characteristic_code ?? `#${a.characteristic_id}`}</Link>
        <div className="muted small">
          {a.characteristic_name ?? ""} · {site}
        </div>
        <RuleLabel rule={a.rule} />
        <div className="small">
          {t("spc.chart.statistic")}: <strong>{formatNumber(a.statistic, i18n.language)}</strong>
        </div>
      </td>
      <td>
        <Step who={t("spc.alarm.monitor")} when={a.raised_at} testid="step-raised" />
        <ReadingTime ts={a.point_ts} testid="alarm-point-ts" />
        <div className="small">
          {t(a.resolved_at ? "spc.alarm.resolvedAfter" : "spc.alarm.openFor", {
            duration: formatDuration((end - Date.parse(a.raised_at)) / 1000, t),
          })}
        </div>
      </td>
      <td>
        <Step who={a.acknowledged_by} when={a.acknowledged_at} testid="step-acknowledged" />
        {a.ack_note && (
          <div className="small" data-testid="alarm-ack-note">
            <span className="muted">{t("spc.alarm.note")}:</span> {a.ack_note}
          </div>
        )}
      </td>
      <td>
        <Step who={a.resolved_by} when={a.resolved_at} testid="step-resolved" />
        {a.cause && (
          <div className="small" data-testid="alarm-cause">
            <span className="muted">{t("spc.alarm.cause")}:</span> {a.cause}
          </div>
        )}
        {a.action && (
          <div className="small" data-testid="alarm-action">
            <span className="muted">{t("spc.alarm.action")}:</span> {a.action}
          </div>
        )}
      </td>
      <td>
        {a.reaction_plan && <div className="small reaction-plan">{a.reaction_plan}</div>}
        <AlarmActions id={a.id} status={a.status} />
      </td>
    </tr>
  );
}

/** Every alarm with its full record (raised, acknowledged, resolved: who and when), filterable. */
export default function AlarmsPage() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const { sites, site } = useSite();
  const [params, setParams] = useSearchParams();
  const now = useNow(30_000);
  const status = (params.get("status") ?? "") as AlarmStatus | "";
  const siteId = params.get("site_id") ?? (site ? String(site.id) : "");
  const charId = params.get("characteristic_id") ?? "";

  const filters = {
    status: status || undefined,
    site_id: siteId ? Number(siteId) : undefined,
    characteristic_id: charId ? Number(charId) : undefined,
    limit: LIMIT,
  };
  const query = useQuery({
    queryKey: [...spcKeys.alarms, filters],
    queryFn: () => spcApi.alarms(filters),
    refetchInterval: 15_000,
  });
  const alarms = query.data ?? [];
  const charCode = alarms.find((a) => String(a.characteristic_id) === charId)?.characteristic_code;

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    // An empty site stays in the URL: "all sites" chosen here wins over the site selected in the top bar.
    if (value || key === "site_id") next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <div className="page spc-page" data-testid="spc-alarms-page">
      <div className="page-head">
        <h1>{t("spc.alarms.title")}</h1>
        <div className="toolbar">
          <label className="inline-field">
            <span>{t("fields.status")}</span>
            <select data-testid="filter-status" value={status} onChange={(e) => setFilter("status", e.target.value)}>
              <option value="">{t("spc.alarms.allStatuses")}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`spc.alarmStatus.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>{t("fields.site_id")}</span>
            <select data-testid="filter-site" value={siteId} onChange={(e) => setFilter("site_id", e.target.value)}>
              <option value="">{t("shell.allSites")}</option>
              {sites.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  {s.code} · {s.name}
                </option>
              ))}
            </select>
          </label>
          {charId && (
            <button className="chip chip-active" data-testid="filter-characteristic" onClick={() => setFilter("characteristic_id", "")}>
              {charCode ?? `#${charId}`} ✕
            </button>
          )}
        </div>
      </div>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {query.isLoading && <div className="page-loading">{t("common.loading")}</div>}
      {query.data && alarms.length === 0 && (
        <p className="muted" data-testid="alarms-empty">
          {t("spc.alarms.empty")}
        </p>
      )}
      {alarms.length > 0 && (
        <div className="panel table-scroll">
          <table className="table alarm-table alarm-records" data-testid="alarms-table">
            <thead>
              <tr>
                <th>{t("spc.alarms.alarm")}</th>
                <th>{t("spc.alarms.raised")}</th>
                <th>{t("spc.alarms.acknowledged")}</th>
                <th>{t("spc.alarms.resolved")}</th>
                <th>{t("spc.alarm.reactionPlan")}</th>
              </tr>
            </thead>
            <tbody>
              {alarms.map((a) => (
                <AlarmRow key={a.id} a={a} now={now} />
              ))}
            </tbody>
          </table>
          {alarms.length >= LIMIT && <p className="muted small">{t("spc.alarms.limited", { count: LIMIT })}</p>}
        </div>
      )}
    </div>
  );
}
