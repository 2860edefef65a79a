import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ApiError, isApiError } from "../api/errors";
import { FieldErrors } from "../components/FieldErrors";
import { useErrorText } from "../lib/errorText";

export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const apiError = isApiError(error) ? error : null;
  const mismatch = repeat.length > 0 && next !== repeat;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await unwrap(api.POST("/api/auth/password", { body: { current_password: current, new_password: next } }));
      setDone(true);
      setCurrent("");
      setNext("");
      setRepeat("");
      onDone?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const generalError = error !== null && !(apiError instanceof ApiError && apiError.fieldErrors.length > 0);

  return (
    <form className="stack" onSubmit={submit} data-testid="password-form">
      <label className="field">
        <span>{t("password.current")}</span>
        <input
          type="password"
          autoComplete="current-password"
          required
          data-testid="field-current_password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <FieldErrors error={apiError} field="current_password" />
      </label>
      <label className="field">
        <span>{t("password.new")}</span>
        <input
          type="password"
          autoComplete="new-password"
          required
          data-testid="field-new_password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <FieldErrors error={apiError} field="new_password" />
      </label>
      <label className="field">
        <span>{t("password.repeat")}</span>
        <input
          type="password"
          autoComplete="new-password"
          required
          data-testid="field-repeat_password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
        {mismatch && <span className="field-error">{t("password.mismatch")}</span>}
      </label>
      {generalError && <div className="alert alert-error">{errorText(error)}</div>}
      {done && <div className="alert alert-ok">{t("password.changed")}</div>}
      <div>
        <button className="btn btn-primary" type="submit" disabled={busy || mismatch} data-testid="password-submit">
          {t("password.submit")}
        </button>
      </div>
    </form>
  );
}
