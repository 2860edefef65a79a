import { useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../../api/errors";
import type { Id } from "../../api/types";
import { useErrorText } from "../../lib/errorText";
import { useSite } from "../../shell/SiteContext";
import { FieldErrors } from "../FieldErrors";
import { FormField } from "./FormField";
import type { FieldDef, FormValues } from "./types";
import { changedBody, createBody, toFormValues } from "./values";

export type ReasonMode = "none" | "optional" | "required";

interface Props<T> {
  fields: FieldDef[];
  mode: "create" | "edit";
  /** The record being edited, or the defaults of a new one. */
  record: Record<string, unknown>;
  reason?: ReasonMode;
  submit: (body: Record<string, unknown>) => Promise<T>;
  onSaved: (saved: T) => void;
  onReload?: () => void;
  disabled?: boolean;
  children?: ReactNode;
}

/**
 * Config-driven create/edit form. Edits send only the changed fields with the record's `version`
 * (optimistic concurrency) and the reason; server validation errors appear under their field.
 */
export function RecordForm<T>({ fields, mode, record, reason = "none", submit, onSaved, onReload, disabled, children }: Props<T>) {
  const { t } = useTranslation();
  const { errorText, fieldErrorText } = useErrorText();
  const { defaultSiteId } = useSite();
  const initial = useMemo(() => toFormValues(fields, record), [fields, record]);
  const [values, setValues] = useState<FormValues>(initial);
  const [reasonText, setReasonText] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useRef(new Map<string, Id>()).current;

  const apiError = isApiError(error) ? error : null;
  const visible = fields.filter((f) => !(mode === "create" && f.editOnly));
  const showReason = mode === "edit" && reason !== "none";
  const reasonRequired = reason === "required" || (apiError?.errorsFor("reason").length ?? 0) > 0;
  const shown = new Set([...visible.map((f) => f.name), ...(showReason ? ["reason"] : [])]);
  const otherFieldErrors = apiError?.fieldErrors.filter((fe) => !shown.has(fe.field.split(".").pop() ?? fe.field)) ?? [];
  const conflict = apiError?.status === 409;
  const siteId = values.site_id || (defaultSiteId === null ? "" : String(defaultSiteId));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    let body: Record<string, unknown>;
    if (mode === "create") {
      body = createBody(visible, values, ids);
    } else {
      body = changedBody(visible, initial, values, ids);
      if (Object.keys(body).length === 0) {
        setNotice(t("form.noChanges"));
        return;
      }
      body.version = record.version;
      if (reasonText.trim()) body.reason = reasonText.trim();
    }
    setBusy(true);
    try {
      const saved = await submit(body);
      setReasonText("");
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="record-form" onSubmit={onSubmit} data-testid="record-form" noValidate>
      <div className="form-grid">
        {visible.map((f) => (
          <FormField
            key={f.name}
            field={f.readOnly || !disabled ? f : { ...f, readOnly: true }}
            value={values[f.name] ?? ""}
            onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
            mode={mode}
            error={apiError}
            siteId={siteId}
            ids={ids}
          />
        ))}
        {showReason && !disabled && (
          <div className="field field-wide">
            <label htmlFor="f-reason">
              {t("fields.reason")}
              {reasonRequired && <span className="required"> *</span>}
            </label>
            <textarea
              id="f-reason"
              data-testid="field-reason"
              rows={2}
              value={reasonText}
              placeholder={t("form.reasonHint")}
              onChange={(e) => setReasonText(e.target.value)}
            />
            <FieldErrors error={apiError} field="reason" />
          </div>
        )}
      </div>
      {conflict ? (
        <div className="alert alert-warn" role="alert" data-testid="form-conflict">
          {t("errors.conflict")}{" "}
          {onReload && (
            <button type="button" className="btn" data-testid="conflict-reload" onClick={onReload}>
              {t("common.reload")}
            </button>
          )}
        </div>
      ) : (
        error !== null && (
          <div className="alert alert-error" role="alert" data-testid="form-error">
            <div>{apiError && apiError.status === 422 && !apiError.code ? t("form.invalid") : errorText(error)}</div>
            {otherFieldErrors.map((fe, i) => (
              <div key={i}>
                {t(`fields.${fe.field}`, { defaultValue: fe.field })}: {fieldErrorText(fe)}
              </div>
            ))}
          </div>
        )
      )}
      {notice && <div className="alert alert-info">{notice}</div>}
      <div className="form-actions">
        {children}
        {!disabled && (
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="save-button">
            {busy ? t("common.working") : mode === "create" ? t("common.create") : t("common.save")}
          </button>
        )}
      </div>
    </form>
  );
}
