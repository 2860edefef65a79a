import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { isApiError } from "../api/errors";
import { ROLES, type Grant, type Role, type User } from "../api/types";
import { FieldErrors } from "../components/FieldErrors";
import { ReasonDialog } from "../components/ReasonDialog";
import { useErrorText } from "../lib/errorText";
import { useSite } from "../shell/SiteContext";

const ALL = "*";

/** Role grants per site (or for all sites); granting and revoking both need a reason. */
export function GrantsPanel({ user, onChanged }: { user: User; onChanged: () => void }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const { sites } = useSite();
  const [role, setRole] = useState<Role>("operator");
  const [site, setSite] = useState<string>(sites[0] ? String(sites[0].id) : ALL);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const apiError = isApiError(error) ? error : null;
  const path = { params: { path: { user_id: user.id } } };

  async function grant(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const siteId = site === ALL ? null : Number(site);
      await unwrap(api.POST("/api/admin/users/{user_id}/grants", { ...path, body: { role, site_id: siteId, reason: reason.trim() } }));
      setReason("");
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="panel" data-testid="grants-panel">
      <h3>{t("admin.grants")}</h3>
      {user.grants.length === 0 && <p className="muted">{t("admin.noGrants")}</p>}
      <ul className="grant-list">
        {user.grants.map((g) => (
          <li key={String(g.id)} className="grant" data-testid="grant">
            <span>
              <strong>{t(`enums.role.${g.role}`)}</strong> · {g.site_code ?? t("shell.allSites")}
            </span>
            <button className="btn btn-small btn-danger-outline" onClick={() => setRevoking(g)}>
              {t("admin.revoke")}
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={grant} data-testid="grant-form">
        <div className="field">
          <label htmlFor="grant-role">{t("fields.role")}</label>
          <select id="grant-role" data-testid="grant-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`enums.role.${r}`)}
              </option>
            ))}
          </select>
          <FieldErrors error={apiError} field="role" />
        </div>
        <div className="field">
          <label htmlFor="grant-site">{t("fields.site_id")}</label>
          <select id="grant-site" data-testid="grant-site" value={site} onChange={(e) => setSite(e.target.value)}>
            <option value={ALL}>{t("shell.allSites")}</option>
            {sites.map((s) => (
              <option key={String(s.id)} value={String(s.id)}>
                {s.code} · {s.name}
              </option>
            ))}
          </select>
          <FieldErrors error={apiError} field="site_id" />
        </div>
        <div className="field field-wide">
          <label htmlFor="grant-reason">
            {t("fields.reason")} <span className="required">*</span>
          </label>
          <input id="grant-reason" data-testid="grant-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          <FieldErrors error={apiError} field="reason" />
        </div>
        {error !== null && !apiError?.fieldErrors.length && <div className="alert alert-error field-wide">{errorText(error)}</div>}
        <div className="form-actions field-wide">
          <button className="btn btn-primary" type="submit" data-testid="grant-submit">
            {t("admin.grant")}
          </button>
        </div>
      </form>
      {revoking && (
        <ReasonDialog
          title={t("admin.revokeTitle", { role: t(`enums.role.${revoking.role}`), site: revoking.site_code ?? t("shell.allSites") })}
          confirmLabel={t("admin.revoke")}
          onConfirm={(r) =>
            unwrap(
              api.POST("/api/admin/users/{user_id}/grants/{grant_id}/revoke", {
                params: { path: { user_id: user.id, grant_id: revoking.id } },
                body: { reason: r },
              }),
            ).then(onChanged)
          }
          onClose={() => setRevoking(null)}
        />
      )}
    </section>
  );
}
