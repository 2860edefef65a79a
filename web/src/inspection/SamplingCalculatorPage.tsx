import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api/errors";
import { AQL_LABELS, inspectionApi, inspectionKeys, LEVELS, SEVERITIES } from "./api";
import "./inspection.css";
import { SamplingFacts } from "./SamplingFacts";
import { useInspectionErrorText } from "./useInspectionErrorText";

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** ISO 2859-1 single sampling: lot size, AQL, inspection level and severity give n, Ac and Re. */
export function SamplingCalculator() {
  const { t } = useTranslation();
  const { errorText, fieldErrorText } = useInspectionErrorText();
  const [lotSize, setLotSize] = useState("500");
  const [aql, setAql] = useState("1.0");
  const [level, setLevel] = useState("II");
  const [severity, setSeverity] = useState("normal");
  const size = useDebounced(lotSize.trim(), 250);
  const n = Number(size);
  const valid = /^\d+$/.test(size) && n >= 1 && n <= 10_000_000;
  const query = { lot_size: n, aql: Number(aql), level, severity };
  const result = useQuery({
    queryKey: inspectionKeys.sampling(query),
    queryFn: () => inspectionApi.samplingPlan(query),
    enabled: valid,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
  const stale = result.isFetching || result.isPlaceholderData || size !== lotSize.trim();
  const fieldErrors = isApiError(result.error) ? result.error.fieldErrors : [];

  return (
    <section className="panel calculator" data-testid="sampling-calculator" aria-labelledby="calc-title">
      <h2 id="calc-title">{t("inspection.sampling.title")}</h2>
      <p className="muted small">{t("inspection.sampling.hint")}</p>
      <div className="form-grid calculator-inputs">
        <div className="field">
          <label htmlFor="calc-lot-size">{t("inspection.sampling.lotSize")}</label>
          <input
            id="calc-lot-size"
            data-testid="calc-lot-size"
            inputMode="numeric"
            autoComplete="off"
            value={lotSize}
            onChange={(e) => setLotSize(e.target.value)}
          />
          {!valid && size !== "" && <span className="field-error">{t("inspection.sampling.badLotSize")}</span>}
        </div>
        <div className="field">
          <label htmlFor="calc-aql">{t("inspection.sampling.aql")}</label>
          <select id="calc-aql" data-testid="calc-aql" value={aql} onChange={(e) => setAql(e.target.value)}>
            {AQL_LABELS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="calc-level">{t("inspection.sampling.level")}</label>
          <select id="calc-level" data-testid="calc-level" value={level} onChange={(e) => setLevel(e.target.value)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`inspection.level.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="calc-severity">{t("inspection.sampling.severity")}</label>
          <select id="calc-severity" data-testid="calc-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(`inspection.severity.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {result.error ? (
        <div className="alert alert-error" role="alert">
          {fieldErrors.length > 0 ? fieldErrors.map((fe) => fieldErrorText(fe)).join(" ") : errorText(result.error)}
        </div>
      ) : (
        valid && result.data && (
          <div
            className={stale ? "calc-result calc-stale" : "calc-result"}
            data-testid="calc-result"
            data-stale={stale}
            aria-busy={stale}
          >
            <SamplingFacts plan={result.data} testid="calc-plan" />
            <p className="small muted" data-testid="calc-rule">
              {t("inspection.sampling.rule", {
                n: result.data.sample_size,
                ac: result.data.accept,
                re: result.data.reject,
              })}
            </p>
          </div>
        )
      )}
    </section>
  );
}

/** The calculator on its own page (`/inspection/sampling`). */
export default function SamplingCalculatorPage() {
  const { t } = useTranslation();
  return (
    <div className="page inspection-page" data-testid="sampling-page">
      <div className="page-head">
        <h1>{t("inspection.sampling.pageTitle")}</h1>
      </div>
      <SamplingCalculator />
    </div>
  );
}
