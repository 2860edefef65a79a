/**
 * A new recall or mock-recall drill: what is suspect (named lots and serials, a supplier lot, what a
 * station made in a window, what a piece of equipment worked on, what a gauge measured), scoped on
 * the server at once; the recall page then shows the blast radius.
 */
import { useState, type FormEvent, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { isApiError } from "../api/errors";
import { plantApi, type PlantResource } from "../api/plant";
import type { PlantRecord } from "../api/types";
import { Drawer } from "../components/Drawer";
import { FieldErrors } from "../components/FieldErrors";
import { useSite } from "../shell/SiteContext";
import { SUSPECT_KINDS, traceApi, traceKeys, type SuspectIn, type SuspectKind } from "./api";
import { fromLocalInput } from "./format";
import { IdentifierListInput } from "./IdentifierListInput";
import { recallUrl } from "./links";
import { useTraceErrorText } from "./useTraceErrorText";

type Field = "ids" | "site" | "supplier" | "supplier_lot" | "item" | "station" | "equipment" | "gauge" | "since" | "until";

/** The fields each kind of suspect set needs (mirrors the server's rule) and may take. */
const REQUIRED: Record<SuspectKind, Field[]> = {
  lots: ["ids"],
  supplier_lot: ["supplier", "supplier_lot"],
  station_window: ["site", "station", "since", "until"],
  equipment: ["site", "equipment", "since", "until"],
  gauge: ["site", "gauge"],
};
const OPTIONAL: Record<SuspectKind, Field[]> = {
  lots: ["since"],
  supplier_lot: ["item", "since"],
  station_window: [],
  equipment: [],
  gauge: ["since"],
};
const STATION_LEVELS = new Set(["area", "line", "station"]);

interface Values {
  title: string;
  drill: boolean;
  kind: SuspectKind;
  ids: string[];
  site: string;
  supplier: string;
  supplier_lot: string;
  item: string;
  station: string;
  equipment: string;
  gauge: string;
  since: string;
  until: string;
}

function useRecords(resource: PlantResource, siteId: string | undefined, enabled: boolean) {
  const query = useQuery({
    queryKey: ["trace-ref", resource, siteId ?? ""],
    queryFn: () => plantApi.list<PlantRecord>(resource, { limit: 500, offset: 0, sort: "code", site_id: siteId }),
    enabled,
    staleTime: 60_000,
  });
  return query.data?.items ?? [];
}

function toBody(v: Values): SuspectIn {
  const fields = [...REQUIRED[v.kind], ...OPTIONAL[v.kind]];
  const suspect: SuspectIn = { kind: v.kind };
  for (const f of fields) {
    if (f === "ids") suspect.ids = v.ids;
    else if (f === "since" || f === "until") suspect[f] = fromLocalInput(v[f]);
    else if (v[f].trim()) suspect[f] = v[f].trim();
  }
  return suspect;
}

export function NewRecallDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { errorText } = useTraceErrorText();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { sites, site } = useSite();
  const [values, setValues] = useState<Values>({
    title: "",
    drill: false,
    kind: "lots",
    ids: [],
    site: site?.code ?? (sites.length === 1 ? sites[0].code : ""),
    supplier: "",
    supplier_lot: "",
    item: "",
    station: "",
    equipment: "",
    gauge: "",
    since: "",
    until: "",
  });
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Values>) => setValues((old) => ({ ...old, ...patch }));
  const chooseKind = (kind: SuspectKind) => {
    set({ kind });
    setError(null);
    setMissing(new Set());
  };
  const needs = new Set<Field>([...REQUIRED[values.kind], ...OPTIONAL[values.kind]]);
  const siteId = sites.find((s) => s.code === values.site)?.id;
  const siteKey = siteId === undefined ? undefined : String(siteId);
  const suppliers = useRecords("suppliers", undefined, needs.has("supplier"));
  const items = useRecords("items", undefined, needs.has("item"));
  const nodes = useRecords("nodes", siteKey, needs.has("station") && siteKey !== undefined);
  const equipment = useRecords("equipment", siteKey, needs.has("equipment") && siteKey !== undefined);
  const gauges = useRecords("gauges", siteKey, needs.has("gauge") && siteKey !== undefined);
  const apiError = isApiError(error) ? error : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const absent = new Set<string>();
    if (values.title.trim().length < 3) absent.add("title");
    for (const f of REQUIRED[values.kind]) if (f === "ids" ? values.ids.length === 0 : !values[f].trim()) absent.add(f);
    setMissing(absent);
    if (absent.size) return;
    setBusy(true);
    setError(null);
    try {
      const recall = await traceApi.createRecall({ title: values.title.trim(), drill: values.drill, suspect: toBody(values) });
      void queryClient.invalidateQueries({ queryKey: traceKeys.recalls });
      navigate(recallUrl(recall.id));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const field = (name: Field | "title", label: string, control: ReactNode, wide = false) => (
    <div className={`field${wide ? " field-wide" : ""}`}>
      <label htmlFor={`recall-${name}`}>
        {label}
        {(name === "title" || REQUIRED[values.kind].includes(name as Field)) && <span className="required"> *</span>}
      </label>
      {control}
      {missing.has(name) && <span className="field-error">{t("errorCodes.required")}</span>}
      <FieldErrors error={apiError} field={name} />
    </div>
  );
  const select = (name: Field, rows: PlantRecord[], optional = false) => (
    <select id={`recall-${name}`} data-testid={`recall-${name}`} value={values[name] as string} onChange={(e) => set({ [name]: e.target.value })}>
      <option value="">{optional ? t("common.none") : t("common.choose")}</option>
      {rows.map((r) => (
        <option key={String(r.id)} value={String(r.code)}>
          {String(r.code)} · {String(r.name ?? "")}
        </option>
      ))}
    </select>
  );
  const time = (name: "since" | "until") => (
    <input id={`recall-${name}`} data-testid={`recall-${name}`} type="datetime-local" value={values[name]} onChange={(e) => set({ [name]: e.target.value })} />
  );

  return (
    <Drawer title={t("trace.recalls.newTitle")} onClose={onClose} testid="new-recall-drawer">
      <form className="record-form" onSubmit={submit} noValidate data-testid="new-recall-form">
        <div className="form-grid">
          {field(
            "title",
            t("trace.recall.title"),
            <input id="recall-title" data-testid="recall-title" value={values.title} onChange={(e) => set({ title: e.target.value })} autoFocus />,
            true,
          )}
        </div>
        <label className="check" data-testid="recall-drill-label">
          <input type="checkbox" data-testid="recall-drill" checked={values.drill} onChange={(e) => set({ drill: e.target.checked })} />
          {t("trace.recalls.drill")}
        </label>
        <p className="muted small drill-hint">{t("trace.recalls.drillHint")}</p>
        <fieldset className="segmented suspect-kinds" data-testid="suspect-kind">
          <legend>{t("trace.recalls.suspect")}</legend>
          {SUSPECT_KINDS.map((k) => (
            <label key={k} className={`segment${values.kind === k ? " segment-active" : ""}`}>
              <input
                type="radio"
                name="suspect-kind"
                value={k}
                data-testid={`suspect-${k}`}
                checked={values.kind === k}
                onChange={() => chooseKind(k)}
              />
              {t(`trace.suspect.${k}`)}
            </label>
          ))}
        </fieldset>
        <p className="muted small">{t(`trace.suspectHint.${values.kind}`)}</p>
        <div className="form-grid">
          {needs.has("ids") &&
            field("ids", t("trace.recalls.identifiers"), <IdentifierListInput id="recall-ids" values={values.ids} onChange={(ids) => set({ ids })} testid="recall-ids" />, true)}
          {needs.has("supplier") && field("supplier", t("trace.field.supplier"), select("supplier", suppliers))}
          {needs.has("supplier_lot") &&
            field(
              "supplier_lot",
              t("trace.field.supplierLot"),
              <input
                id="recall-supplier_lot"
                data-testid="recall-supplier_lot"
                className="scan-input"
                autoComplete="off"
                spellCheck={false}
                value={values.supplier_lot}
                onChange={(e) => set({ supplier_lot: e.target.value })}
              />,
            )}
          {needs.has("item") && field("item", t("trace.field.item"), select("item", items.filter((i) => i.kind !== "product"), true))}
          {needs.has("site") &&
            field(
              "site",
              t("fields.site_id"),
              <select id="recall-site" data-testid="recall-site" value={values.site} onChange={(e) => set({ site: e.target.value, station: "", equipment: "", gauge: "" })}>
                <option value="">{t("common.choose")}</option>
                {sites.map((s) => (
                  <option key={s.id} value={s.code}>
                    {s.code} · {s.name}
                  </option>
                ))}
              </select>,
            )}
          {needs.has("station") && field("station", t("trace.field.station"), select("station", nodes.filter((n) => STATION_LEVELS.has(String(n.level)))))}
          {needs.has("equipment") && field("equipment", t("trace.field.equipment"), select("equipment", equipment))}
          {needs.has("gauge") && field("gauge", t("trace.field.gauge"), select("gauge", gauges))}
          {needs.has("since") && field("since", t(values.kind === "gauge" ? "trace.recalls.sinceGauge" : "trace.recalls.since"), time("since"))}
          {needs.has("until") && field("until", t("trace.recalls.until"), time("until"))}
        </div>
        {error !== null && (
          <div className="alert alert-error" role="alert" data-testid="new-recall-error">
            {errorText(error)}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="recall-create">
            {busy ? t("trace.recalls.scoping") : values.drill ? t("trace.recalls.createDrill") : t("trace.recalls.create")}
          </button>
        </div>
      </form>
    </Drawer>
  );
}
