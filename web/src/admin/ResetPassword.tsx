import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { isApiError } from "../api/errors";
import type { Id } from "../api/types";
import { FieldErrors } from "../components/FieldErrors";
import { useErrorText } from "../lib/errorText";

export function ResetPassword({ userId }: { userId: Id }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const apiError = isApiError(error) ? error : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(false);
    try {
      await unwrap(api.POST("/api/admin/users/{user_id}/reset-password", { params: { path: { user_id: userId } }, body: { new_password: password } }));
      setPassword("");
      setDone(true);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="panel">
      <h3>{t("admin.resetPassword")}</h3>
      <form className="inline-form" onSubmit={submit}>
        <div className="field field-wide">
          <label htmlFor="reset-pw">{t("password.new")}</label>
          <input
            id="reset-pw"
            type="password"
            autoComplete="new-password"
            data-testid="reset-new_password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <FieldErrors error={apiError} field="new_password" />
          <small className="muted">{t("admin.resetHint")}</small>
        </div>
        {error !== null && !apiError?.fieldErrors.length && <div className="alert alert-error field-wide">{errorText(error)}</div>}
        {done && <div className="alert alert-ok field-wide">{t("admin.passwordReset")}</div>}
        <div className="form-actions field-wide">
          <button className="btn" type="submit" disabled={!password} data-testid="reset-password">
            {t("admin.resetPassword")}
          </button>
        </div>
      </form>
    </section>
  );
}
