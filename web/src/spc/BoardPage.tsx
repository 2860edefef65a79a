import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useErrorText } from "../lib/errorText";
import { formatDateTime } from "../lib/format";
import { useSite } from "../shell/SiteContext";
import type { BoardSite } from "./api";
import { LightBadge, LineTile, ResponseCards } from "./BoardParts";
import { CpkTable } from "./CpkTable";
import { LiveIndicator } from "./LiveIndicator";
import { OpenAlarmsTable } from "./OpenAlarmsTable";
import { ParetoChart } from "./ParetoChart";
import { useLiveBoard } from "./useLiveBoard";

function SiteSection({ site }: { site: BoardSite }) {
  const { t } = useTranslation();
  return (
    <section className="panel site-section" data-testid={`board-site-${site.code}`}>
      <div className="panel-head">
        <h2>
          {site.code} · {site.name}
        </h2>
        <LightBadge status={site.status} testid={`site-status-${site.code}`} />
      </div>
      <ResponseCards rt={site.response_times} siteCode={site.code} />
      {site.lines.length === 0 ? (
        <p className="muted">{t("spc.board.noLines")}</p>
      ) : (
        <div className="line-tiles">
          {site.lines.map((line) => (
            <LineTile key={line.id} line={line} />
          ))}
        </div>
      )}
    </section>
  );
}

/** The live quality board: line lights, open alarms, response times, alarm Pareto, key Cpk. */
export default function BoardPage() {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const { site } = useSite();
  const { data: board, error, live, dataUpdatedAt } = useLiveBoard();

  const sites = board?.sites.filter((s) => !site || s.id === site.id) ?? [];
  const alarms = board?.open_alarms.filter((a) => !site || a.site_id === site.id) ?? [];
  const keyChars = board?.key_characteristics.filter((k) => !site || k.site_id === site.id) ?? [];
  // The Pareto spans every site in scope: name the site where more than one can appear.
  const paretoSites = new Set(board?.pareto.map((p) => p.site_id));
  const showParetoSite = (board?.sites.length ?? 0) > 1 || paretoSites.size > 1;

  return (
    <div className="page spc-page" data-testid="spc-board">
      <div className="page-head">
        <h1>{t("spc.board.title")}</h1>
        <div className="toolbar">
          {board && (
            <span className="muted small" data-testid="board-generated">
              {t("spc.board.updated", { time: formatDateTime(board.generated_at, i18n.language) })}
            </span>
          )}
          <LiveIndicator state={live} />
          <Link className="btn btn-small" to="/spc/alarms">
            {t("nav.spcAlarms")}
          </Link>
        </div>
      </div>
      {error && !board && <div className="alert alert-error">{errorText(error)}</div>}
      {!board && !error && <div className="page-loading">{t("common.loading")}</div>}
      {board && (
        <>
          {sites.length === 0 && <p className="muted">{t("spc.board.noSites")}</p>}
          {sites.map((s) => (
            <SiteSection key={s.id} site={s} />
          ))}
          <section className="panel">
            <h2>{t("spc.board.openAlarmsTitle")}</h2>
            <OpenAlarmsTable alarms={alarms} receivedAt={dataUpdatedAt} />
          </section>
          <div className="board-grid">
            <section className="panel">
              <h2>{t("spc.pareto.title")}</h2>
              <ParetoChart rows={board.pareto} showSite={showParetoSite} />
            </section>
            <section className="panel">
              <h2>{t("spc.cpk.title")}</h2>
              <CpkTable rows={keyChars} />
            </section>
          </div>
        </>
      )}
    </div>
  );
}
