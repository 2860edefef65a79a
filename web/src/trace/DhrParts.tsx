/** Parts of the device history record page: sections, times, identity, instruments, inspections. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { formatDateTime, utc } from "../lib/format";
import type { Dhr, DhrInspection, DhrInstrument } from "./api";
import { formatCount } from "./format";
import { graphUrl } from "./links";
import { QrCode } from "./QrCode";
import { HoldBadge, KindBadge } from "./TraceBadges";

const CALIBRATION_TONE: Record<string, string> = { in_calibration: "ok", overdue: "danger", unknown: "warn", not_applicable: "muted" };

export function Section({ title, count, testid, children }: { title: string; count?: number; testid: string; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel dhr-section" data-testid={testid}>
      <h2>
        {title} {count !== undefined && <span className="muted">({formatCount(count, i18n.language)})</span>}
      </h2>
      {count === 0 ? <p className="muted">{t("trace.dhr.none")}</p> : children}
    </section>
  );
}

export function When({ value }: { value: string | null | undefined }) {
  const { i18n } = useTranslation();
  if (!value) return <span className="muted">—</span>;
  return (
    <time dateTime={value} title={utc(value)} className="nowrap">
      {formatDateTime(value, i18n.language)}
    </time>
  );
}

export function DhrIdentity({ dhr }: { dhr: Dhr }) {
  const { t } = useTranslation();
  const id = dhr.identity;
  const facts: [string, ReactNode][] = [
    [t("trace.dhr.item"), id.item_code ? `${id.item_code}${id.item_name ? ` · ${id.item_name}` : ""}` : null],
    [t("trace.dhr.gtin"), id.gtin],
    [t("trace.field.lot"), id.lot],
    [t("trace.field.serial"), id.serial],
    [t("trace.dhr.site"), id.site ? `${id.site}${id.site_name ? ` · ${id.site_name}` : ""}` : null],
    [t("trace.dhr.madeAt"), id.made_at ? <When value={id.made_at} /> : null],
  ];
  return (
    <section className="panel dhr-identity" data-testid="dhr-identity">
      <div className="dhr-identity-facts">
        <div className="node-head">
          <KindBadge kind={id.kind} id={id.key} />
          <HoldBadge hold={id.hold} />
        </div>
        <dl className="props">
          {facts
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
        </dl>
        <div className="node-key mono small">{id.key}</div>
        {id.lots.length > 0 && (
          <div className="small">
            <span className="muted">{t("trace.dhr.lots")}:</span>{" "}
            {id.lots.map((l) => (
              <Link key={l} to={graphUrl(l)} className="mono dhr-lot-link">
                {l}
              </Link>
            ))}
          </div>
        )}
      </div>
      {id.digital_link && (
        <figure className="dhr-qr">
          <QrCode value={id.digital_link} label={t("trace.dhr.qrLabel", { link: id.digital_link })} />
          <figcaption className="small">
            <a href={id.digital_link} target="_blank" rel="noreferrer" className="mono" data-testid="dhr-public-link">
              {id.digital_link}
            </a>
            <div className="muted">{t("trace.dhr.qrHint")}</div>
          </figcaption>
        </figure>
      )}
    </section>
  );
}

export function Instruments({ rows }: { rows: DhrInstrument[] }) {
  const { t } = useTranslation();
  return (
    <table className="table table-middle">
      <thead>
        <tr>
          <th>{t("trace.dhr.instrument")}</th>
          <th>{t("trace.dhr.used")}</th>
          <th className="num">{t("trace.dhr.uses")}</th>
          <th>{t("trace.dhr.calibratedOn")}</th>
          <th>{t("trace.dhr.dueOn")}</th>
          <th>{t("trace.dhr.calibration")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.kind}-${r.code}`} className={r.calibration === "overdue" ? "row-danger" : undefined} data-testid="dhr-instrument">
            <td>
              <span className="badge badge-neutral">{t(`trace.dhr.instrumentKind.${r.kind}`)}</span> <strong>{r.code}</strong>{" "}
              <span className="muted small">{r.name}</span>
            </td>
            <td className="small">
              <When value={r.first_used} /> – <When value={r.last_used} />
            </td>
            <td className="num">{r.uses}</td>
            <td>{r.calibrated_on ?? "—"}</td>
            <td>{r.due_on ?? "—"}</td>
            <td>
              <span className={`badge badge-${CALIBRATION_TONE[r.calibration] ?? "neutral"}`} data-testid="calibration-state">
                {t(`trace.dhr.calibrationState.${r.calibration}`)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Inspections({ rows }: { rows: DhrInspection[] }) {
  const { t } = useTranslation();
  return (
    <div className="stack">
      {rows.map((x) => (
        <details key={x.id} className="dhr-inspection" data-testid="dhr-inspection">
          <summary>
            <span className="badge badge-neutral">{t(`inspection.kind.${x.kind}`, { defaultValue: x.kind })}</span>{" "}
            <strong>{x.lot_number}</strong> {x.item_code && <span className="muted">{x.item_code}</span>}{" "}
            {x.decision ? (
              <span className={`badge badge-${x.decision === "accept" ? "ok" : x.decision === "reject" ? "danger" : "warn"}`}>
                {t(`inspection.decision.${x.decision}`, { defaultValue: x.decision })}
              </span>
            ) : (
              <span className="badge badge-warn">{t(`inspection.status.${x.status}`, { defaultValue: x.status })}</span>
            )}{" "}
            <span className="small">{t("trace.dhr.passedFailed", { passed: x.passed, failed: x.failed })}</span>
          </summary>
          <p className="small muted">
            {x.supplier_lot && `${t("trace.field.supplierLot")}: ${x.supplier_lot} · `}
            {x.decided_by && `${x.decided_by} · `}
            {x.decided_at && <When value={x.decided_at} />}
            {x.reason && ` · ${x.reason}`}
          </p>
          {x.results.length > 0 && (
            <div className="table-scroll">
              <table className="table table-middle small">
                <thead>
                  <tr>
                    <th>{t("trace.dhr.characteristic")}</th>
                    <th className="num">{t("trace.dhr.sample")}</th>
                    <th className="num">{t("trace.dhr.value")}</th>
                    <th>{t("trace.dhr.result")}</th>
                    <th>{t("trace.dhr.gauge")}</th>
                    <th>{t("trace.dhr.recorded")}</th>
                  </tr>
                </thead>
                <tbody>
                  {x.results.map((r, i) => (
                    <tr key={i} className={r.passed ? undefined : "row-danger"}>
                      <td className="mono">{r.characteristic}</td>
                      <td className="num">{r.sample_index}</td>
                      <td className="num">{r.value ?? "—"}</td>
                      <td>{r.passed ? <span className="text-ok">✓ {t("trace.dhr.ok")}</span> : <strong className="text-danger">✗ {t("trace.dhr.ng")}</strong>}</td>
                      <td>{r.gauge ?? "—"}</td>
                      <td className="small">
                        {r.recorded_by} · <When value={r.recorded_at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </details>
      ))}
    </div>
  );
}
