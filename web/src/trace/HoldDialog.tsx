import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Modal } from "../components/Modal";
import { useTraceErrorText } from "./useTraceErrorText";
import { DISPOSITIONS, type Disposition } from "./api";

/** Asks for the disposition and the reason of a hold, then places it; shows the server's error if it fails. */
export function HoldDialog({
  title,
  intro,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  intro?: string;
  confirmLabel: string;
  onConfirm: (disposition: Disposition, reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useTraceErrorText();
  const [disposition, setDisposition] = useState<Disposition>("recalled");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(disposition, reason.trim());
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={title} testid="hold-dialog">
      <form className="stack" onSubmit={submit}>
        {intro && <p className="alert alert-warn">{intro}</p>}
        <fieldset className="segmented" data-testid="hold-disposition">
          <legend>{t("trace.hold.disposition")}</legend>
          {DISPOSITIONS.map((d) => (
            <label key={d} className={`segment${disposition === d ? " segment-active" : ""}`}>
              <input
                type="radio"
                name="hold-disposition"
                value={d}
                data-testid={`disposition-${d}`}
                checked={disposition === d}
                onChange={() => setDisposition(d)}
              />
              {t(`trace.disposition.${d}`)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>
            {t("fields.reason")} <span className="required">*</span>
          </span>
          <textarea data-testid="dialog-reason" required rows={3} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
        </label>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <div className="row-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-danger" disabled={busy || reason.trim().length < 3} data-testid="hold-confirm">
            {busy ? t("common.working") : confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
