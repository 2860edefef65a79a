import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { formatDateTime, utc } from "../lib/format";
import { useSite } from "../shell/SiteContext";
import { AlarmActions, AlarmStatusBadge, ReadingTime } from "./AlarmActions";
import type { BoardAlarm } from "./api";
import { formatDuration, useNow } from "./format";
import { RuleLabel } from "./RuleLabel";

/** Open alarms of the board, oldest first, with an age that keeps counting. */
export function OpenAlarmsTable({ alarms, receivedAt }: { alarms: BoardAlarm[]; receivedAt: number }) {
  const { t, i18n } = useTranslation();
  const { sites } = useSite();
  const now = useNow(5_000);
  const elapsed = Math.max(0, (now - receivedAt) / 1000);
  const siteCode = (id: number) => sites.find((s) => s.id === id)?.code ?? String(id);
  const rows = [...alarms].sort((a, b) => b.age_seconds - a.age_seconds);

  if (rows.length === 0) {
    return (
      <p className="alert alert-ok" data-testid="no-open-alarms">
        {t("spc.board.noOpenAlarms")}
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table alarm-table" data-testid="open-alarms">
        <thead>
          <tr>
            <th>{t("spc.alarm.age")}</th>
            <th>{t("fields.status")}</th>
            <th>{t("spc.alarm.characteristic")}</th>
            <th>{t("spc.alarm.rule")}</th>
            <th>{t("spc.alarm.reactionPlan")}</th>
            <th aria-label={t("spc.alarm.actions")} />
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id} data-testid={`alarm-row-${a.id}`} className={`alarm-${a.status}`}>
              <td className="nowrap">
                <strong data-testid="alarm-age">{formatDuration(a.age_seconds + elapsed, t)}</strong>
                <div className="muted small" title={utc(a.raised_at)}>
                  {formatDateTime(a.raised_at, i18n.language)}
                </div>
                <ReadingTime ts={a.point_ts} testid="alarm-point-ts" />
              </td>
              <td>
                <AlarmStatusBadge status={a.status} />
              </td>
              <td>
                <Link to={`/spc/chart/${a.characteristic_id}`} data-testid="alarm-chart-link">
                  {a.characteristic ?? a.characteristic_id}
                </Link>
                <div className="muted small">
                  {a.name} · {siteCode(a.site_id)}
                </div>
              </td>
              <td>
                <RuleLabel rule={a.rule} />
              </td>
              <td className="reaction-plan">{a.reaction_plan || <span className="muted">—</span>}</td>
              <td>
                <AlarmActions id={a.id} status={a.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
