/**
 * The device history record ("birth certificate") of one serial or lot (`/trace/dhr?id=`): identity,
 * components and supplier lots, production steps, process parameters, inspections, the gauges and
 * equipment used with their calibration state at the time, nonconformances and customers.
 * Printable as it stands; the signed-off document is the PDF, in the UI's language.
 */
import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { formatDateTime } from "../lib/format";
import { traceApi, traceKeys, type Dhr } from "./api";
import { DhrIdentity, Inspections, Instruments, Section, When } from "./DhrParts";
import { EventDrawer } from "./EventDrawer";
import { formatQuantity, shortEventId } from "./format";
import { graphUrl } from "./links";
import { useTraceErrorText } from "./useTraceErrorText";
import "./trace.css";

function Body({ dhr, onEvent }: { dhr: Dhr; onEvent: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const num = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toLocaleString(i18n.language, { maximumSignificantDigits: 6 }));
  return (
    <>
      <DhrIdentity dhr={dhr} />
      <Section title={t("trace.dhr.genealogy")} count={dhr.genealogy.length} testid="dhr-genealogy">
        <div className="table-scroll">
          <table className="table table-middle">
            <thead>
              <tr>
                <th>{t("trace.dhr.item")}</th>
                <th>{t("trace.field.lot")}</th>
                <th>{t("trace.field.supplier")}</th>
                <th>{t("trace.field.supplierLot")}</th>
                <th className="num">{t("trace.field.quantity")}</th>
                <th className="num">{t("trace.field.level")}</th>
              </tr>
            </thead>
            <tbody>
              {dhr.genealogy.map((c) => (
                <tr key={c.key} data-testid="dhr-component">
                  <td>
                    <strong>{c.item_code ?? "—"}</strong> <span className="muted small">{c.item_name}</span>
                  </td>
                  <td>
                    <Link to={graphUrl(c.key)} className="mono">
                      {c.label}
                    </Link>
                  </td>
                  <td>{c.supplier ? `${c.supplier}${c.supplier_name ? ` · ${c.supplier_name}` : ""}` : "—"}</td>
                  <td className="mono">{c.supplier_lot ?? "—"}</td>
                  <td className="num">{formatQuantity(c.quantity, c.uom, i18n.language)}</td>
                  <td className="num">{c.depth}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t("trace.dhr.steps")} count={dhr.steps.length} testid="dhr-steps">
        <div className="table-scroll">
          <table className="table table-middle">
            <thead>
              <tr>
                <th>{t("trace.dhr.time")}</th>
                <th>{t("trace.dhr.step")}</th>
                <th>{t("trace.field.station")}</th>
                <th>{t("trace.dhr.workOrder")}</th>
                <th>{t("trace.dhr.operator")}</th>
                <th>{t("trace.dhr.objects")}</th>
                <th>{t("trace.dhr.event")}</th>
              </tr>
            </thead>
            <tbody>
              {dhr.steps.map((s) => (
                <tr key={s.event_id} data-testid="dhr-step">
                  <td>
                    <When value={s.time} />
                  </td>
                  <td className="nowrap">{s.biz_step ? t(`trace.bizStep.${s.biz_step}`, { defaultValue: s.biz_step }) : s.type}</td>
                  <td>{[s.site, s.station_name ?? s.station].filter(Boolean).join(" · ") || "—"}</td>
                  <td className="mono nowrap">{s.work_order ?? "—"}</td>
                  <td className="nowrap">{s.operator ?? "—"}</td>
                  <td className="small dhr-objects">
                    {s.inputs.length > 0 && (
                      <div>
                        <span className="muted">{t("trace.dhr.inputs")}:</span> {s.inputs.join(", ")}
                      </div>
                    )}
                    {s.outputs.length > 0 && (
                      <div>
                        <span className="muted">{t("trace.dhr.outputs")}:</span> {s.outputs.join(", ")}
                      </div>
                    )}
                    {s.inputs.length === 0 && s.outputs.length === 0 && <span className="muted">—</span>}
                  </td>
                  <td>
                    <button type="button" className="link-button mono small nowrap" title={s.event_id} onClick={() => onEvent(s.event_id)}>
                      {shortEventId(s.event_id)}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t("trace.dhr.parameters")} count={dhr.parameters.length} testid="dhr-parameters">
        <div className="table-scroll dhr-scroll">
          <table className="table table-middle">
            <thead>
              <tr>
                <th>{t("trace.dhr.characteristic")}</th>
                <th className="num">{t("trace.dhr.value")}</th>
                <th className="num">{t("fields.lsl")}</th>
                <th className="num">{t("fields.usl")}</th>
                <th>{t("trace.dhr.result")}</th>
                <th>{t("trace.dhr.time")}</th>
                <th>{t("trace.field.serial")}</th>
                <th>{t("trace.dhr.gauge")}</th>
              </tr>
            </thead>
            <tbody>
              {dhr.parameters.map((p, i) => (
                <tr key={i} className={p.in_spec === false ? "row-danger" : undefined} data-testid="dhr-parameter">
                  <td>
                    <span className="mono">{p.characteristic}</span> <span className="muted small">{p.name}</span>
                  </td>
                  <td className="num">
                    {num(p.value)} {p.unit}
                  </td>
                  <td className="num">{num(p.lsl)}</td>
                  <td className="num">{num(p.usl)}</td>
                  <td>
                    {p.in_spec === null ? (
                      <span className="muted">—</span>
                    ) : p.in_spec ? (
                      <span className="text-ok">✓ {t("trace.dhr.ok")}</span>
                    ) : (
                      <strong className="text-danger">✗ {t("trace.dhr.ng")}</strong>
                    )}
                  </td>
                  <td>
                    <When value={p.time} />
                  </td>
                  <td className="mono small">{p.serial ?? p.lot ?? "—"}</td>
                  <td>{p.gauge ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t("trace.dhr.inspections")} count={dhr.inspections.length} testid="dhr-inspections">
        <Inspections rows={dhr.inspections} />
      </Section>
      <Section title={t("trace.dhr.instruments")} count={dhr.instruments.length} testid="dhr-instruments">
        <div className="table-scroll">
          <Instruments rows={dhr.instruments} />
        </div>
      </Section>
      <Section title={t("trace.dhr.nonconformances")} count={dhr.nonconformances.length} testid="dhr-nonconformances">
        <ul className="dhr-nc-list">
          {dhr.nonconformances.map((n, i) => (
            <li key={i} data-testid="dhr-nonconformance">
              <span className={`badge badge-${n.kind === "hold" ? "danger" : "warn"}`}>{t(`trace.dhr.ncKind.${n.kind}`)}</span>{" "}
              <strong>{n.subject}</strong> <span className="muted">{n.ref}</span> · <When value={n.at} />
              {n.status && (
                <>
                  {" "}
                  · {n.kind === "hold" ? t(`trace.disposition.${n.status}`, { defaultValue: n.status }) : n.status}
                </>
              )}
              {n.detail && <div className="small muted">{n.detail}</div>}
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t("trace.dhr.customers")} count={dhr.customers.length} testid="dhr-customers">
        <table className="table table-middle">
          <thead>
            <tr>
              <th>{t("trace.dhr.customer")}</th>
              <th className="num">{t("trace.field.quantity")}</th>
              <th>{t("trace.dhr.shippedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {dhr.customers.map((c) => (
              <tr key={c.key} data-testid="dhr-customer">
                <td>
                  <strong>{c.code}</strong> <span className="muted">{c.name}</span>
                </td>
                <td className="num">{formatQuantity(c.quantity, c.uom, i18n.language)}</td>
                <td>
                  <When value={c.shipped_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <p className="muted small dhr-generated">
        {t("trace.dhr.generated", { when: formatDateTime(dhr.generated_at, i18n.language) })}
      </p>
    </>
  );
}

export default function DhrPage() {
  const { t, i18n } = useTranslation();
  const { errorText } = useTraceErrorText();
  const [params] = useSearchParams();
  const id = params.get("id") ?? "";
  const [event, setEvent] = useState<string | null>(null);
  const query = useQuery({ queryKey: traceKeys.dhr(id), queryFn: () => traceApi.dhr(id), enabled: Boolean(id) });
  const dhr = query.data;

  // A printout shows every inspection's results, folded on screen or not.
  useEffect(() => {
    const unfold = () => document.querySelectorAll<HTMLDetailsElement>(".dhr-page details").forEach((d) => (d.open = true));
    window.addEventListener("beforeprint", unfold);
    return () => window.removeEventListener("beforeprint", unfold);
  }, []);

  return (
    <div className="page trace-page dhr-page" data-testid="dhr-page">
      <div className="page-head">
        <div>
          <Link to={graphUrl(id)} className="muted small no-print">
            ← {t("trace.dhr.toGenealogy")}
          </Link>
          <h1 data-testid="dhr-title">
            {t("trace.dhr.title")}
            {dhr && <span className="dhr-title-id"> · {dhr.identity.label}</span>}
          </h1>
        </div>
        <div className="toolbar no-print">
          <button type="button" className="btn" data-testid="dhr-print" disabled={!dhr} onClick={() => window.print()}>
            {t("trace.dhr.print")}
          </button>
          <a className="btn btn-primary" href={traceApi.dhrPdfUrl(id, i18n.language)} data-testid="dhr-pdf" download>
            {t("trace.dhr.pdf")}
          </a>
        </div>
      </div>
      {!id && <div className="alert alert-info">{t("trace.dhr.noId")}</div>}
      {query.isLoading && id && <div className="page-loading">{t("trace.dhr.loading")}</div>}
      {query.error && (
        <div className="alert alert-error" role="alert">
          {errorText(query.error)}
        </div>
      )}
      {dhr && <Body dhr={dhr} onEvent={setEvent} />}
      {event && <EventDrawer eventId={event} onClose={() => setEvent(null)} />}
    </div>
  );
}
