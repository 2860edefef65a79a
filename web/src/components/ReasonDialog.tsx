import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useErrorText } from "../lib/errorText";
import { Modal } from "./Modal";

/** Asks for the reason of a change (retire, revoke, ...) and runs it; shows the server's error if it fails. */
export function ReasonDialog({
  title,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  confirmLabel?: string;
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={title} testid="reason-dialog">
      <form className="stack" onSubmit={submit}>
        <label className="field">
          <span>
            {t("fields.reason")} <span className="required">*</span>
          </span>
          <textarea
            data-testid="dialog-reason"
            required
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            autoFocus
          />
        </label>
        {error && <div className="alert alert-error">{error}</div>}
        <div className="row-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-danger" disabled={busy || !reason.trim()} data-testid="reason-confirm">
            {confirmLabel ?? t("common.confirm")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
