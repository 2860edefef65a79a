import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { isApiError } from "../api/errors";
import type { ApiTokenCreated, Id } from "../api/types";
import { FieldErrors } from "../components/FieldErrors";
import { useErrorText } from "../lib/errorText";
import { formatDateTime, utc } from "../lib/format";

export function TokensPanel() {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const [name, setName] = useState("");
  const [days, setDays] = useState("90");
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [error, setError] = useState<unknown>(null);
  const apiError = isApiError(error) ? error : null;
  const query = useQuery({ queryKey: ["auth", "tokens"], queryFn: () => unwrap(api.GET("/api/auth/tokens")) });
  const when = (v: string | null) => <span title={utc(v)}>{formatDateTime(v, i18n.language) || "—"}</span>;

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const out = await unwrap(api.POST("/api/auth/tokens", { body: { name: name.trim(), expires_in_days: Number(days) } }));
      setCreated(out);
      setName("");
      void query.refetch();
    } catch (err) {
      setError(err);
    }
  }

  async function revoke(id: Id) {
    setError(null);
    try {
      await unwrap(api.POST("/api/auth/tokens/{token_id}/revoke", { params: { path: { token_id: id } } }));
      void query.refetch();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card" data-testid="tokens-panel">
      <h2>{t("tokens.title")}</h2>
      <p className="muted">{t("tokens.hint")}</p>
      {created && (
        <div className="alert alert-ok" data-testid="token-created">
          <div>{t("tokens.copyNow")}</div>
          <code className="token-value" data-testid="token-value">
            {created.token}
          </code>
          <div>
            <button className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(created.token)}>
              {t("tokens.copy")}
            </button>{" "}
            <button className="btn btn-small" onClick={() => setCreated(null)}>
              {t("common.close")}
            </button>
          </div>
        </div>
      )}
      <form className="inline-form" onSubmit={create}>
        <div className="field">
          <label htmlFor="token-name">{t("fields.name")}</label>
          <input id="token-name" data-testid="token-name" required value={name} onChange={(e) => setName(e.target.value)} />
          <FieldErrors error={apiError} field="name" />
        </div>
        <div className="field">
          <label htmlFor="token-days">{t("tokens.days")}</label>
          <input id="token-days" inputMode="numeric" data-testid="token-days" value={days} onChange={(e) => setDays(e.target.value)} />
          <FieldErrors error={apiError} field="expires_in_days" />
        </div>
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={!name.trim()} data-testid="token-create">
            {t("tokens.create")}
          </button>
        </div>
      </form>
      {error !== null && !apiError?.fieldErrors.length && <div className="alert alert-error">{errorText(error)}</div>}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>{t("fields.name")}</th>
              <th>{t("sessions.created")}</th>
              <th>{t("sessions.expires")}</th>
              <th>{t("tokens.lastUsed")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(query.data ?? []).map((tok) => (
              <tr key={String(tok.id)} className={tok.revoked_at ? "row-muted" : ""}>
                <td>{tok.name}</td>
                <td>{when(tok.created_at)}</td>
                <td>{when(tok.expires_at)}</td>
                <td>{when(tok.last_used_at)}</td>
                <td>
                  {tok.revoked_at ? (
                    <span className="badge badge-muted">{t("tokens.revoked")}</span>
                  ) : (
                    <button className="btn btn-small btn-danger-outline" onClick={() => void revoke(tok.id)}>
                      {t("admin.revoke")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
