import { useTranslation } from "react-i18next";
import { aqlLabel, type LotSampling, type SamplingPlan } from "./api";

/** Code letter, sample size, Ac/Re, severity, AQL and level of a sampling plan, as a row of tiles. */
export function SamplingFacts({ plan, testid = "sampling-facts" }: { plan: LotSampling | SamplingPlan; testid?: string }) {
  const { t } = useTranslation();
  const hasPlan = plan.accept !== undefined && plan.accept !== null;
  const tiles: { key: string; label: string; value: string }[] = hasPlan
    ? [
        { key: "code-letter", label: t("inspection.sampling.codeLetter"), value: plan.code_letter ?? "—" },
        { key: "sample-size", label: t("inspection.sampling.sampleSize"), value: String(plan.sample_size ?? "—") },
        { key: "ac-re", label: t("inspection.sampling.acRe"), value: `${plan.accept} / ${plan.reject}` },
        { key: "severity", label: t("inspection.sampling.severity"), value: t(`inspection.severity.${plan.severity}`) },
        { key: "aql", label: t("inspection.sampling.aql"), value: aqlLabel(plan.aql) },
        { key: "level", label: t("inspection.sampling.level"), value: plan.level },
      ]
    : [
        { key: "sample-size", label: t("inspection.sampling.sampleSize"), value: t("inspection.sampling.perControlPlan") },
        { key: "severity", label: t("inspection.sampling.severity"), value: t(`inspection.severity.${plan.severity}`) },
        { key: "level", label: t("inspection.sampling.level"), value: plan.level },
      ];
  return (
    <div className="sampling-facts" data-testid={testid}>
      {tiles.map((tile) => (
        <div key={tile.key} className={`kpi sampling-${tile.key}`} data-testid={`${testid}-${tile.key}`}>
          <div className="kpi-value">{tile.value}</div>
          <div className="kpi-label">{tile.label}</div>
        </div>
      ))}
      {hasPlan && plan.plan_letter && plan.plan_letter !== plan.code_letter && (
        <p className="small muted sampling-note">{t("inspection.sampling.arrow", { letter: plan.plan_letter })}</p>
      )}
      {plan.hundred_percent && <p className="alert alert-warn sampling-note">{t("inspection.sampling.hundredPercent")}</p>}
    </div>
  );
}
