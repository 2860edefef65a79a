import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { isApiError } from "../api/errors";
import type { MfaSetup as Setup } from "../api/types";
import { useAuth, useMe } from "../auth/AuthContext";
import { useErrorText } from "../lib/errorText";

/** The server's QR code as an image source; an <img> needs the SVG namespace, inline SVG does not. */
function svgSource(svg: string): string {
  const withNs = /<svg[^>]*\sxmlns=/.test(svg) ? svg : svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"');
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(withNs)}`;
}

export function MfaSetup() {
  const { t } = useTranslation();
  const me = useMe();
  const { refresh } = useAuth();
  const { errorText, fieldErrorText } = useErrorText();
  // Field errors (wrong current password, wrong code) read better than the summary.
  const fieldAware = (e: unknown) => (isApiError(e) && e.fieldErrors[0] ? fieldErrorText(e.fieldErrors[0]) : errorText(e));
  const [setup, setSetup] = useState<Setup | null>(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  async function start() {
    setError(null);
    setDone(false);
    try {
      // Replacing an active authenticator needs the current password.
      const body = me.mfa_enabled ? { current_password: password } : undefined;
      setSetup(await unwrap(api.POST("/api/auth/mfa/setup", { body })));
      setPassword("");
    } catch (e) {
      setError(e);
    }
  }

  async function confirm(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await unwrap(api.POST("/api/auth/mfa/confirm", { body: { code: code.trim() } }));
      setSetup(null);
      setCode("");
      setDone(true);
      void refresh();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card" data-testid="mfa-panel">
      <h2>{t("mfa.title")}</h2>
      <p>{me.mfa_enabled ? t("account.mfaOn") : t("account.mfaOff")}</p>
      {done && <div className="alert alert-ok">{t("mfa.enabled")}</div>}
      {!setup && (
        <div className="stack">
          {me.mfa_enabled && (
            <label className="field">
              <span>{t("password.current")}</span>
              <input
                type="password"
                autoComplete="current-password"
                data-testid="mfa-current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
          )}
          <div>
            <button
              className="btn"
              onClick={() => void start()}
              disabled={me.mfa_enabled && !password}
              data-testid="mfa-setup"
            >
              {me.mfa_enabled ? t("mfa.reset") : t("mfa.setup")}
            </button>
          </div>
        </div>
      )}
      {setup && (
        <form className="mfa-setup stack" onSubmit={confirm}>
          <p>{t("mfa.scan")}</p>
          <img
            className="qr"
            data-testid="mfa-qr"
            alt={t("mfa.qrAlt")}
            src={svgSource(setup.qr_svg)}
          />
          <p>
            {t("mfa.secret")}: <code data-testid="mfa-secret">{setup.secret}</code>
          </p>
          <label className="field">
            <span>{t("mfa.code")}</span>
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              data-testid="field-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </label>
          <div className="row-actions">
            <button type="button" className="btn" onClick={() => setSetup(null)}>
              {t("common.cancel")}
            </button>
            <button type="submit" className="btn btn-primary" data-testid="mfa-confirm">
              {t("mfa.confirm")}
            </button>
          </div>
        </form>
      )}
      {error !== null && <div className="alert alert-error">{fieldAware(error)}</div>}
    </section>
  );
}
