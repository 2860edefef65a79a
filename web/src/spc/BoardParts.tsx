import { useTranslation } from "react-i18next";
import type { BoardLine, Light, ResponseTimes } from "./api";
import { formatDuration } from "./format";

const GLYPH: Record<Light, string> = { green: "✓", amber: "!", red: "✕" };

/** A status light: colour plus a symbol plus words, so it reads without colour too. */
export function LightBadge({ status, testid }: { status: Light; testid?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`light light-${status}`} data-testid={testid}>
      <span className="light-glyph" aria-hidden>
        {GLYPH[status]}
      </span>
      {t(`spc.light.${status}`)}
    </span>
  );
}

export function LineTile({ line }: { line: BoardLine }) {
  const { t } = useTranslation();
  return (
    <article className={`line-tile tile-${line.status}`} data-testid={`line-tile-${line.code}`} data-status={line.status}>
      <header className="line-tile-head">
        <div>
          <div className="line-code">{line.code}</div>
          <div className="line-name">{line.name}</div>
        </div>
        <LightBadge status={line.status} />
      </header>
      <div className="line-alarms" data-testid="line-open-alarms">
        {t("spc.board.openAlarms", { count: line.open_alarms })}
      </div>
      {line.stations.length > 0 && (
        <ul className="station-list" aria-label={t("spc.board.stations")}>
          {line.stations.map((s) => (
            <li key={s.id} className="station-chip" title={s.code}>
              {s.name}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

function Kpi({ label, value, testid, tone }: { label: string; value: string; testid: string; tone?: string }) {
  return (
    <div className={`kpi ${tone ? `kpi-${tone}` : ""}`} data-testid={testid}>
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{label}</div>
    </div>
  );
}

/** Response-time figures of one site. */
export function ResponseCards({ rt, siteCode }: { rt: ResponseTimes; siteCode: string }) {
  const { t } = useTranslation();
  return (
    <div className="kpi-row" data-testid={`kpis-${siteCode}`}>
      <Kpi
        label={t("spc.kpi.open")}
        value={String(rt.open)}
        tone={rt.open > 0 ? "danger" : undefined}
        testid="kpi-open"
      />
      <Kpi
        label={t("spc.kpi.acknowledged")}
        value={String(rt.acknowledged)}
        tone={rt.acknowledged > 0 ? "warn" : undefined}
        testid="kpi-acknowledged"
      />
      <Kpi label={t("spc.kpi.medianAck")} value={formatDuration(rt.median_seconds_to_acknowledge, t)} testid="kpi-median-ack" />
      <Kpi label={t("spc.kpi.p90Ack")} value={formatDuration(rt.p90_seconds_to_acknowledge, t)} testid="kpi-p90-ack" />
      <Kpi label={t("spc.kpi.medianResolve")} value={formatDuration(rt.median_seconds_to_resolve, t)} testid="kpi-median-resolve" />
      <Kpi label={t("spc.kpi.resolved")} value={String(rt.resolved)} testid="kpi-resolved" />
    </div>
  );
}
