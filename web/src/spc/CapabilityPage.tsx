import { useMemo, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { isApiError } from "../api/errors";
import { useErrorText } from "../lib/errorText";
import { spcApi, spcKeys, type Capability, type IndexName } from "./api";
import { buildCapabilityChart } from "./capabilityOption";
import { CharacteristicHeader } from "./CharacteristicHeader";
import { CpkValue } from "./CpkTable";
import { EChart } from "./EChart";
import { formatIndex, formatNumber, formatPpm } from "./format";

const READINGS = [50, 125, 500, 1000, 5000];
const CONFIDENCE = [0.9, 0.95, 0.99];
const INDICES: { key: IndexName; label: string }[] = [
  { key: "Cp", label: "Cp" },
  { key: "Cp_l", label: "Cpl" },
  { key: "Cp_u", label: "Cpu" },
  { key: "Cp_k", label: "Cpk" },
  { key: "Cpm", label: "Cpm" },
];
const ALPHA = 0.05;

function IndicesTable({ c }: { c: Capability }) {
  const { t, i18n } = useTranslation();
  const f = (v: number | null | undefined) => formatIndex(v, i18n.language);
  const level = Math.round(c.confidence_level * 100);
  return (
    <table className="table" data-testid="indices-table">
      <thead>
        <tr>
          <th>{t("spc.capability.index")}</th>
          <th>{t("spc.capability.value")}</th>
          <th>{t("spc.capability.interval", { level })}</th>
        </tr>
      </thead>
      <tbody>
        {INDICES.map(({ key, label }) => {
          const iv = c.indices[key];
          return (
            <tr key={key} data-testid={`index-${key}`}>
              <th scope="row">{label}</th>
              <td>{key === "Cp_k" ? <CpkValue cpk={iv.value} /> : f(iv.value)}</td>
              <td className="nowrap">{iv.lower === null && iv.upper === null ? "—" : `${f(iv.lower)} – ${f(iv.upper)}`}</td>
            </tr>
          );
        })}
        <tr data-testid="index-Pp">
          <th scope="row">Pp</th>
          <td>{f(c.pp)}</td>
          <td className="muted">{t("spc.capability.overallHint")}</td>
        </tr>
        <tr data-testid="index-Ppk">
          <th scope="row">Ppk</th>
          <td>
            <CpkValue cpk={c.ppk} />
          </td>
          <td className="muted">{t("spc.capability.overallHint")}</td>
        </tr>
      </tbody>
    </table>
  );
}

function OutOfSpec({ c }: { c: Capability }) {
  const { t, i18n } = useTranslation();
  const ppm = (v: number | null) => formatPpm(v, i18n.language);
  const sum = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));
  const rows = [
    { key: "below", label: t("spc.capability.belowLsl"), e: c.expected_out_of_spec.below, o: c.observed_out_of_spec.below },
    { key: "above", label: t("spc.capability.aboveUsl"), e: c.expected_out_of_spec.above, o: c.observed_out_of_spec.above },
    {
      key: "total",
      label: t("spc.capability.total"),
      e: sum(c.expected_out_of_spec.below, c.expected_out_of_spec.above),
      o: sum(c.observed_out_of_spec.below, c.observed_out_of_spec.above),
    },
  ];
  return (
    <table className="table" data-testid="out-of-spec">
      <thead>
        <tr>
          <th />
          <th>{t("spc.capability.expectedPpm")}</th>
          <th>{t("spc.capability.observedPpm")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>{ppm(r.e)}</td>
            <td>{ppm(r.o)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Normality({ c }: { c: Capability }) {
  const { t, i18n } = useTranslation();
  const p = c.normality_p_value;
  const verdict = p === null ? "untested" : p < ALPHA ? "nonNormal" : "normal";
  const shown = p === null ? "—" : p < 0.001 ? "< 0.001" : formatIndex(p, i18n.language, 3);
  const nn = c.non_normal;
  const num = (v: number | null) => formatNumber(v, i18n.language);
  return (
    <div className="stack">
      <p className={`alert ${verdict === "nonNormal" ? "alert-warn" : verdict === "normal" ? "alert-ok" : "alert-info"}`} data-testid="normality">
        <strong>{t("spc.capability.pValue", { p: shown })}</strong> — {t(`spc.capability.verdict.${verdict}`)}
      </p>
      {nn && (
        <div data-testid="non-normal">
          <h3>{t("spc.capability.nonNormalTitle")}</h3>
          <dl className="props props-compact">
            <div>
              <dt>{t("spc.capability.lambda")}</dt>
              <dd>{formatIndex(nn.boxcox_lambda, i18n.language, 3)}</dd>
            </div>
            <div>
              <dt>P0.135 %</dt>
              <dd>{num(nn.p_low)}</dd>
            </div>
            <div>
              <dt>{t("spc.capability.median")}</dt>
              <dd>{num(nn.median)}</dd>
            </div>
            <div>
              <dt>P99.865 %</dt>
              <dd>{num(nn.p_high)}</dd>
            </div>
            <div>
              <dt>Cp ({t("spc.capability.percentile")})</dt>
              <dd>{formatIndex(nn.cp, i18n.language)}</dd>
            </div>
            <div>
              <dt>Cpk ({t("spc.capability.percentile")})</dt>
              <dd>
                <CpkValue cpk={nn.cpk} />
              </dd>
            </div>
          </dl>
        </div>
      )}
    </div>
  );
}

function Summary({ c }: { c: Capability }) {
  const { t, i18n } = useTranslation();
  const num = (v: number | null) => formatNumber(v, i18n.language);
  const source = t(`spc.capability.sigmaSource.${c.sigma_source}`, { revision: c.limit_set_revision });
  return (
    <dl className="props props-compact" data-testid="capability-summary">
      <div>
        <dt>{t("spc.capability.n")}</dt>
        <dd>{c.nobs}</dd>
      </div>
      <div>
        <dt>{t("spc.limits.center")}</dt>
        <dd>{num(c.center)}</dd>
      </div>
      <div>
        <dt>{t("spc.capability.withinSigma")}</dt>
        <dd>
          {num(c.within_sigma)} <span className="muted small" data-testid="sigma-source" data-source={c.sigma_source}>
            ({source})
          </span>
        </dd>
      </div>
      <div>
        <dt>{t("spc.capability.overallSigma")}</dt>
        <dd>{num(c.overall_sigma)}</dd>
      </div>
      <div>
        <dt>{t("spc.capability.specLimits")}</dt>
        <dd>
          {num(c.lsl)} … {num(c.usl)} {c.unit ?? ""}
        </dd>
      </div>
    </dl>
  );
}

/** Capability study of one characteristic: histogram with spec limits, indices with intervals, ppm, normality. */
export default function CapabilityPage() {
  const { characteristicId = "" } = useParams();
  const id = Number(characteristicId);
  const { t, i18n } = useTranslation();
  const { errorText, fieldErrorText } = useErrorText();
  const [readings, setReadings] = useState(500);
  const [confidence, setConfidence] = useState(0.95);
  const query = useQuery({
    queryKey: spcKeys.capability(id, readings, confidence),
    queryFn: () => spcApi.capability(id, readings, confidence),
    enabled: id > 0,
    placeholderData: keepPreviousData,
  });
  const c = query.data;
  const option = useMemo(() => (c ? buildCapabilityChart(c, t, i18n.language) : null), [c, t, i18n.language]);
  const err = query.error;
  const message = isApiError(err) && err.fieldErrors.length > 0 ? err.fieldErrors.map(fieldErrorText).join(" ") : err ? errorText(err) : null;

  return (
    <div className="page spc-page" data-testid="spc-capability-page">
      <CharacteristicHeader id={id} title={t("spc.capability.title")} testid="capability-title" />
      <div className="toolbar">
        <label className="inline-field">
          <span>{t("spc.capability.lastReadings")}</span>
          <select data-testid="cap-readings" value={readings} onChange={(e) => setReadings(Number(e.target.value))}>
            {READINGS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>{t("spc.capability.confidence")}</span>
          <select data-testid="cap-confidence" value={confidence} onChange={(e) => setConfidence(Number(e.target.value))}>
            {CONFIDENCE.map((v) => (
              <option key={v} value={v}>
                {Math.round(v * 100)} %
              </option>
            ))}
          </select>
        </label>
      </div>
      {message && (
        <div className="alert alert-warn" data-testid="capability-error">
          {message}
        </div>
      )}
      {query.isLoading && <div className="page-loading">{t("common.loading")}</div>}
      {c && option && (
        <>
          <section className="panel">
            <h2>{t("spc.capability.histogram")}</h2>
            <EChart option={option} label={t("spc.capability.histogram")} testid="capability-chart" className="echart echart-capability" />
            <Summary c={c} />
          </section>
          <div className="chart-grid">
            <section className="panel">
              <h2>{t("spc.capability.indices")}</h2>
              <IndicesTable c={c} />
            </section>
            <section className="panel">
              <h2>{t("spc.capability.outOfSpec")}</h2>
              <OutOfSpec c={c} />
              <h2 className="section-gap">{t("spc.capability.normality")}</h2>
              <Normality c={c} />
            </section>
          </div>
        </>
      )}
    </div>
  );
}
