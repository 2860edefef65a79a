import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { isApiError, type ApiError } from "../api/errors";
import type { Item } from "../api/types";
import { Drawer } from "../components/Drawer";
import { useSite } from "../shell/SiteContext";
import { AQL_LABELS, inspectionApi, LEVELS, LOT_KINDS, type InspectionLevel, type Lot, type LotCreate, type LotKind } from "./api";
import { useItems, useLines, useSuppliers } from "./refs";
import { SamplingFacts } from "./SamplingFacts";
import { useInspectionErrorText } from "./useInspectionErrorText";

function Errors({ error, field }: { error: ApiError | null; field: string }) {
  const { fieldErrorText } = useInspectionErrorText();
  return (
    <>
      {(error?.errorsFor(field) ?? []).map((fe, i) => (
        <span key={i} className="field-error" data-testid={`error-${field}`}>
          {fieldErrorText(fe)}
        </span>
      ))}
    </>
  );
}

/** A scanner types the code and presses Enter: Enter moves on instead of submitting early. */
function onScanEnter(next: () => void) {
  return (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" && !e.nativeEvent.isComposing) {
      e.preventDefault();
      next();
    }
  };
}

interface Values {
  kind: LotKind;
  item_id: string;
  lot_number: string;
  quantity: string;
  supplier_id: string;
  supplier_lot: string;
  work_order: string;
  node_id: string;
  aql: string;
  inspection_level: string;
}

const EMPTY: Values = {
  kind: "final",
  item_id: "",
  lot_number: "",
  quantity: "",
  supplier_id: "",
  supplier_lot: "",
  work_order: "",
  node_id: "",
  aql: "",
  inspection_level: "",
};

function toBody(v: Values): LotCreate {
  const text = (s: string) => s.trim() || null;
  const quantity = Number(v.quantity.trim());
  const body: LotCreate = {
    kind: v.kind,
    item_id: Number(v.item_id) || 0,
    lot_number: v.lot_number.trim(),
    quantity: Number.isFinite(quantity) ? quantity : 0,
  };
  if (v.kind === "incoming") {
    body.supplier_id = v.supplier_id ? Number(v.supplier_id) : null;
    body.supplier_lot = text(v.supplier_lot);
  } else {
    body.work_order = text(v.work_order);
    if (v.node_id) body.node_id = Number(v.node_id);
  }
  if (v.aql) body.aql = Number(v.aql);
  if (v.inspection_level) body.inspection_level = v.inspection_level as InspectionLevel;
  return body;
}

function ItemOptions({ items, kind }: { items: Item[]; kind: LotKind }) {
  const { t } = useTranslation();
  const groups = (kind === "incoming" ? ["material", "product"] : ["product", "material"]) as Item["kind"][];
  return (
    <>
      {groups.map((g) => {
        const rows = items.filter((i) => i.kind === g && i.status !== "retired");
        if (rows.length === 0) return null;
        return (
          <optgroup key={g} label={t(`enums.itemKind.${g}`)}>
            {rows.map((i) => (
              <option key={i.id} value={String(i.id)}>
                {i.code} · {i.name}
              </option>
            ))}
          </optgroup>
        );
      })}
    </>
  );
}

/** The lot's sampling plan once it is created, with the way into the entry grid. */
function Created({ lot, onAnother }: { lot: Lot; onAnother: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="stack" data-testid="lot-created">
      <div className="alert alert-ok">{t("inspection.newLot.created", { lot: lot.lot_number })}</div>
      <section className="panel stack">
        <h3>{t("inspection.newLot.plan")}</h3>
        <SamplingFacts plan={lot.sampling} testid="created-plan" />
        <p className="muted small">
          {t("inspection.newLot.planLines", { count: lot.plan.length, n: Math.max(0, ...lot.plan.map((p) => p.sample_size)) })}
        </p>
      </section>
      <div className="row-actions">
        <button type="button" className="btn btn-touch" data-testid="lot-another" onClick={onAnother}>
          {t("inspection.newLot.another")}
        </button>
        <button
          type="button"
          className="btn btn-primary btn-touch"
          data-testid="lot-start"
          autoFocus
          onClick={() => navigate(`/inspection/lots/${lot.id}`)}
        >
          {t("inspection.newLot.start")}
        </button>
      </div>
    </div>
  );
}

/** "New lot": kind, product or material, lot number (scanner), quantity, supplier or work order, AQL/level override. */
export function NewLotDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { errorText } = useInspectionErrorText();
  const { site } = useSite();
  const queryClient = useQueryClient();
  const { items, loading } = useItems(site?.id ?? null);
  const [values, setValues] = useState<Values>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Lot | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const item = items.find((i) => String(i.id) === values.item_id);
  const siteId = item?.site_id ?? site?.id ?? null;
  const suppliers = useSuppliers(siteId, values.kind === "incoming" && siteId !== null);
  const lines = useLines(siteId, values.kind !== "incoming" && siteId !== null);
  const apiError = isApiError(error) ? error : null;
  const set = (patch: Partial<Values>) => setValues((old) => ({ ...old, ...patch }));
  const focus = (id: string) => () => form.current?.querySelector<HTMLElement>(`#${id}`)?.focus();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const lot = await inspectionApi.createLot(toBody(values));
      setCreated(lot);
      void queryClient.invalidateQueries({ queryKey: ["inspection", "lots"] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const shown = new Set(["item_id", "lot_number", "quantity", "supplier_id", "supplier_lot", "work_order", "node_id", "aql", "inspection_level"]);
  const otherErrors = apiError?.fieldErrors.filter((fe) => !shown.has(fe.field)) ?? [];

  return (
    <Drawer title={t("inspection.newLot.title")} onClose={onClose} testid="new-lot-drawer">
      {created ? (
        <Created
          lot={created}
          onAnother={() => {
            setCreated(null);
            setValues({ ...EMPTY, kind: values.kind, item_id: values.item_id });
          }}
        />
      ) : (
        <form ref={form} className="record-form new-lot-form" onSubmit={submit} noValidate data-testid="new-lot-form">
          <fieldset className="segmented" data-testid="lot-kind">
            <legend>{t("fields.kind")}</legend>
            {LOT_KINDS.map((k) => (
              <label key={k} className={`segment${values.kind === k ? " segment-active" : ""}`}>
                <input
                  type="radio"
                  name="lot-kind"
                  value={k}
                  data-testid={`lot-kind-${k}`}
                  checked={values.kind === k}
                  onChange={() => set({ kind: k })}
                />
                {t(`inspection.kind.${k}`)}
              </label>
            ))}
          </fieldset>
          <div className="form-grid">
            <div className="field field-wide">
              <label htmlFor="lot-item">
                {t("fields.item_id")}
                <span className="required"> *</span>
              </label>
              <select id="lot-item" data-testid="lot-item" value={values.item_id} onChange={(e) => set({ item_id: e.target.value })}>
                <option value="">{loading ? t("common.loading") : t("common.choose")}</option>
                <ItemOptions items={items} kind={values.kind} />
              </select>
              <Errors error={apiError} field="item_id" />
            </div>
            <div className="field">
              <label htmlFor="lot-number">
                {t("inspection.lot.lotNumber")}
                <span className="required"> *</span>
              </label>
              <input
                id="lot-number"
                data-testid="lot-number"
                className="scan-input"
                autoComplete="off"
                spellCheck={false}
                enterKeyHint="next"
                placeholder={t("inspection.newLot.scanHint")}
                value={values.lot_number}
                onChange={(e) => set({ lot_number: e.target.value })}
                onKeyDown={onScanEnter(focus("lot-quantity"))}
              />
              <Errors error={apiError} field="lot_number" />
            </div>
            <div className="field">
              <label htmlFor="lot-quantity">
                {t("fields.quantity")}
                <span className="required"> *</span>
              </label>
              <input
                id="lot-quantity"
                data-testid="lot-quantity"
                inputMode="numeric"
                autoComplete="off"
                enterKeyHint="next"
                value={values.quantity}
                onChange={(e) => set({ quantity: e.target.value })}
                onKeyDown={onScanEnter(focus(values.kind === "incoming" ? "lot-supplier" : "lot-work-order"))}
              />
              <Errors error={apiError} field="quantity" />
            </div>
            {values.kind === "incoming" ? (
              <>
                <div className="field">
                  <label htmlFor="lot-supplier">
                    {t("inspection.lot.supplier")}
                    <span className="required"> *</span>
                  </label>
                  <select
                    id="lot-supplier"
                    data-testid="lot-supplier"
                    value={values.supplier_id}
                    onChange={(e) => set({ supplier_id: e.target.value })}
                  >
                    <option value="">{t("common.choose")}</option>
                    {suppliers.map((s) => (
                      <option key={s.id} value={String(s.id)}>
                        {s.code} · {s.name}
                        {s.status !== "approved" ? ` (${t(`enums.supplierStatus.${s.status}`, { defaultValue: s.status })})` : ""}
                      </option>
                    ))}
                  </select>
                  <Errors error={apiError} field="supplier_id" />
                </div>
                <div className="field">
                  <label htmlFor="lot-supplier-lot">{t("inspection.lot.supplierLot")}</label>
                  <input
                    id="lot-supplier-lot"
                    data-testid="lot-supplier-lot"
                    className="scan-input"
                    autoComplete="off"
                    spellCheck={false}
                    enterKeyHint="next"
                    placeholder={t("inspection.newLot.scanHint")}
                    value={values.supplier_lot}
                    onChange={(e) => set({ supplier_lot: e.target.value })}
                    onKeyDown={onScanEnter(focus("lot-submit"))}
                  />
                  <Errors error={apiError} field="supplier_lot" />
                </div>
              </>
            ) : (
              <>
                <div className="field">
                  <label htmlFor="lot-work-order">{t("inspection.lot.workOrder")}</label>
                  <input
                    id="lot-work-order"
                    data-testid="lot-work-order"
                    className="scan-input"
                    autoComplete="off"
                    spellCheck={false}
                    enterKeyHint="next"
                    placeholder={t("inspection.newLot.scanHint")}
                    value={values.work_order}
                    onChange={(e) => set({ work_order: e.target.value })}
                    onKeyDown={onScanEnter(focus("lot-submit"))}
                  />
                  <Errors error={apiError} field="work_order" />
                </div>
                <div className="field">
                  <label htmlFor="lot-line">{t("inspection.lot.line")}</label>
                  <select id="lot-line" data-testid="lot-line" value={values.node_id} onChange={(e) => set({ node_id: e.target.value })}>
                    <option value="">{t("inspection.newLot.anyLine")}</option>
                    {lines.map((n) => (
                      <option key={n.id} value={String(n.id)}>
                        {n.code} · {n.name}
                      </option>
                    ))}
                  </select>
                  <Errors error={apiError} field="node_id" />
                </div>
              </>
            )}
          </div>
          <details className="override" open={Boolean(values.aql || values.inspection_level)}>
            <summary>{t("inspection.newLot.override")}</summary>
            <div className="form-grid">
              <div className="field">
                <label htmlFor="lot-aql">{t("inspection.sampling.aql")}</label>
                <select id="lot-aql" data-testid="lot-aql" value={values.aql} onChange={(e) => set({ aql: e.target.value })}>
                  <option value="">{t("inspection.newLot.fromPlan")}</option>
                  {AQL_LABELS.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
                <Errors error={apiError} field="aql" />
              </div>
              <div className="field">
                <label htmlFor="lot-level">{t("inspection.sampling.level")}</label>
                <select
                  id="lot-level"
                  data-testid="lot-level"
                  value={values.inspection_level}
                  onChange={(e) => set({ inspection_level: e.target.value })}
                >
                  <option value="">{t("inspection.newLot.fromPlan")}</option>
                  {LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {t(`inspection.level.${l}`)}
                    </option>
                  ))}
                </select>
                <Errors error={apiError} field="inspection_level" />
              </div>
            </div>
          </details>
          {error !== null && (
            <div className="alert alert-error" role="alert" data-testid="new-lot-error">
              <div>{apiError && apiError.status === 422 && !apiError.code ? t("form.invalid") : errorText(error)}</div>
              {otherErrors.map((fe, i) => (
                <div key={i}>{fe.message}</div>
              ))}
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="btn btn-touch" onClick={onClose}>
              {t("common.cancel")}
            </button>
            <button id="lot-submit" type="submit" className="btn btn-primary btn-touch" disabled={busy} data-testid="lot-create">
              {busy ? t("common.working") : t("inspection.newLot.create")}
            </button>
          </div>
        </form>
      )}
    </Drawer>
  );
}
