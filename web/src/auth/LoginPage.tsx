import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { isApiError } from "../api/errors";
import { useErrorText } from "../lib/errorText";
import { LanguageSwitch } from "../shell/LanguageSwitch";
import { useAuth } from "./AuthContext";

export function LoginPage() {
  const { t } = useTranslation();
  const { me, setMe } = useAuth();
  const { errorText } = useErrorText();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const from = (location.state as { from?: string } | null)?.from ?? "/";
  if (me) return <Navigate to={from === "/login" ? "/" : from} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { username, password, ...(needTotp ? { totp_code: totp } : {}) };
      const out = await unwrap(api.POST("/api/auth/login", { body }));
      setMe(out.user);
      navigate(from === "/login" ? "/" : from, { replace: true });
    } catch (err) {
      if (isApiError(err) && err.code === "mfa_required") {
        if (needTotp) setError(err);
        setNeedTotp(true);
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <form className="card login-card" onSubmit={submit} data-testid="login-form">
        <div className="login-head">
          <h1 className="brand">Qualitas</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t("login.subtitle")}</p>
        <label className="field">
          <span>{t("login.username")}</span>
          <input
            data-testid="login-username"
            autoComplete="username"
            autoFocus
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t("login.password")}</span>
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {needTotp && (
          <label className="field">
            <span>{t("login.totp")}</span>
            <input
              data-testid="login-totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6,8}"
              required
              autoFocus
              value={totp}
              onChange={(e) => setTotp(e.target.value.trim())}
            />
            <small className="muted">{t("login.totpHint")}</small>
          </label>
        )}
        {error !== null && (
          <div className="alert alert-error" role="alert" data-testid="login-error">
            {errorText(error)}
          </div>
        )}
        <button className="btn btn-primary btn-block" type="submit" disabled={busy} data-testid="login-submit">
          {busy ? t("common.working") : t("login.submit")}
        </button>
      </form>
    </div>
  );
}
