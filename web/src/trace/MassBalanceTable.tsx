import { useTranslation } from "react-i18next";
import type { MassBalanceRow } from "./api";
import { formatQuantity } from "./format";

const COLUMNS = ["received", "consumed", "shipped", "transferred", "scrapped", "on_hand"] as const;
const TOLERANCE = 1e-6;

/** received = consumed + shipped + transferred + scrapped + on hand; a difference is a finding. */
export function MassBalanceTable({ rows }: { rows: MassBalanceRow[] }) {
  const { t, i18n } = useTranslation();
  const q = (v: number) => formatQuantity(v, null, i18n.language);
  // A difference, or more taken out than came in (negative stock), is a finding.
  const wrong = (r: MassBalanceRow) => Math.abs(r.difference) > TOLERANCE || r.on_hand < -TOLERANCE;
  const off = rows.filter(wrong).length;
  return (
    <section className="panel" data-testid="mass-balance">
      <div className="panel-head">
        <h2>{t("trace.balance.title")}</h2>
        {rows.length > 0 &&
          (off ? (
            <span className="badge badge-danger" data-testid="balance-off">
              {t("trace.balance.off", { count: off })}
            </span>
          ) : (
            <span className="badge badge-ok" data-testid="balance-ok">
              {t("trace.balance.ok")}
            </span>
          ))}
      </div>
      <p className="muted small">{t("trace.balance.hint")}</p>
      {rows.length === 0 ? (
        <p className="muted">{t("trace.balance.none")}</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-middle balance-table">
            <thead>
              <tr>
                <th>{t("trace.field.lot")}</th>
                <th>{t("trace.field.product")}</th>
                {COLUMNS.map((c) => (
                  <th key={c} className="num">
                    {t(`trace.balance.${c}`)}
                  </th>
                ))}
                <th className="num">{t("trace.balance.difference")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const bad = wrong(r);
                return (
                  <tr key={r.id} className={bad ? "balance-bad" : undefined} data-testid="balance-row" data-difference={r.difference}>
                    <td className="mono">{r.label}</td>
                    <td>{r.product ?? "—"}</td>
                    {COLUMNS.map((c) => (
                      <td key={c} className="num">
                        {c === "on_hand" && r.on_hand < -TOLERANCE ? <strong className="text-danger" title={t("trace.balance.negative")}>{q(r[c])}</strong> : q(r[c])}
                        {c === "on_hand" && (
                          <div className="muted small">{t(`trace.balance.source.${r.on_hand_source}`)}</div>
                        )}
                      </td>
                    ))}
                    <td className="num">
                      {Math.abs(r.difference) > TOLERANCE ? <strong className="text-danger">{q(r.difference)}</strong> : q(r.difference)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
