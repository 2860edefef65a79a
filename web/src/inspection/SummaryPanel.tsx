import { useTranslation } from "react-i18next";
import type { Lot, LotSummary } from "./api";

export function RecommendationBadge({ value, testid }: { value: string | null; testid?: string }) {
  const { t } = useTranslation();
  const tone = value === "accept" ? "ok" : value === "reject" ? "danger" : "neutral";
  const glyph = value === "accept" ? "✓ " : value === "reject" ? "✗ " : "";
  return (
    <span className={`badge badge-${tone} badge-large`} data-testid={testid} data-value={value ?? ""}>
      {glyph}
      {value ? t(`inspection.recommendation.${value}`) : t("inspection.recommendation.pending")}
    </span>
  );
}

/** Checked and failed per characteristic, nonconforming units against Ac/Re, the recommendation. */
export function SummaryPanel({ lot, summary }: { lot: Lot; summary: LotSummary }) {
  const { t } = useTranslation();
  const s = lot.sampling;
  const hasAcRe = s.accept !== undefined && s.accept !== null;
  const nc = summary.nonconforming_units;
  const overReject = hasAcRe && nc >= (s.reject ?? Infinity);
  return (
    <section className="panel summary-panel" data-testid="summary-panel" aria-labelledby="summary-title">
      <h2 id="summary-title">{t("inspection.summary.title")}</h2>
      <div className="summary-top">
        <div>
          <div className="kpi-label">{t("inspection.summary.recommendation")}</div>
          <RecommendationBadge value={summary.recommendation} testid="summary-recommendation" />
        </div>
        <div className={`kpi${overReject ? " kpi-danger" : ""}`} data-testid="summary-nonconforming">
          <div className="kpi-value">
            {nc}
            {hasAcRe && (
              <span className="kpi-sub">
                {" "}
                / Ac {s.accept} · Re {s.reject}
              </span>
            )}
          </div>
          <div className="kpi-label">{t("inspection.summary.nonconforming")}</div>
        </div>
        <div className="kpi" data-testid="summary-progress">
          <div className="kpi-value">
            {summary.results} / {summary.expected_results}
          </div>
          <div className="kpi-label">{summary.complete ? t("inspection.summary.complete") : t("inspection.summary.results")}</div>
        </div>
      </div>
      <div className="table-scroll">
        <table className="table table-middle summary-table">
          <thead>
            <tr>
              <th>{t("inspection.summary.characteristic")}</th>
              <th className="num">{t("inspection.summary.checked")}</th>
              <th className="num">{t("inspection.summary.failed")}</th>
              <th className="num">{t("inspection.summary.defects")}</th>
            </tr>
          </thead>
          <tbody>
            {lot.plan.map((line) => {
              const c = summary.characteristics[String(line.characteristic_id)] ?? { checked: 0, failed: 0, defects: 0 };
              return (
                <tr key={line.characteristic_id} data-testid={`summary-${line.code}`} className={c.failed > 0 ? "summary-failed" : ""}>
                  <td>
                    <span className="mono">{line.code}</span> <span className="muted small">{line.name}</span>
                  </td>
                  <td className="num">
                    {c.checked} / {line.sample_size}
                  </td>
                  <td className="num">{c.failed > 0 ? <strong className="text-danger">✗ {c.failed}</strong> : 0}</td>
                  <td className="num">{c.defects}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
