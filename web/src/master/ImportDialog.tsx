import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api/errors";
import { plantApi, type MasterResource } from "../api/plant";
import type { ImportResult } from "../api/types";
import { Modal } from "../components/Modal";
import { useErrorText } from "../lib/errorText";

/** A rejected import may come back as a 200 with `ok: false` or as a 4xx whose body is the same report. */
function reportFrom(e: unknown): ImportResult | null {
  if (!isApiError(e)) return null;
  const body = e.problem as unknown as Partial<ImportResult>;
  if (Array.isArray(body.errors) && body.errors.some((r) => typeof r === "object" && r !== null && "row" in r)) {
    return { ok: false, created: 0, updated: 0, errors: body.errors };
  }
  return null;
}

export function ImportDialog({
  resource,
  onClose,
  onImported,
}: {
  resource: MasterResource;
  onClose: () => void;
  onImported: () => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const out = await plantApi.importFile(resource, file);
      setResult(out);
      if (out.ok) onImported();
    } catch (err) {
      const report = reportFrom(err);
      if (report) setResult(report);
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={t("import.title")} testid="import-dialog">
      <form className="stack" onSubmit={submit}>
        <p className="muted">{t("import.hint")}</p>
        <input
          type="file"
          data-testid="import-file"
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        {error && <div className="alert alert-error">{error}</div>}
        {result?.ok && (
          <div className="alert alert-ok" data-testid="import-ok">
            {t("import.done", { created: result.created, updated: result.updated })}
          </div>
        )}
        {result && !result.ok && (
          <div data-testid="import-errors">
            <div className="alert alert-error">{t("import.rejected", { count: result.errors.length })}</div>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t("import.row")}</th>
                    <th>{t("import.field")}</th>
                    <th>{t("import.message")}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.errors.map((r, i) => (
                    <tr key={i}>
                      <td>{r.row}</td>
                      <td>{r.field ? t(`fields.${r.field}`, { defaultValue: r.field }) : ""}</td>
                      <td>{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
        <div className="row-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="import-close">
            {t("common.close")}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!file || busy} data-testid="import-submit">
            {busy ? t("common.working") : t("import.upload")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
