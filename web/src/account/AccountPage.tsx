import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMe } from "../auth/AuthContext";

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const rows: [string, string][] = [
    [t("fields.username"), me.username],
    [t("fields.full_name"), me.full_name],
    [t("fields.email"), me.email ?? ""],
    [t("fields.locale"), t(`enums.locale.${me.locale}`)],
    [t("account.mfa"), me.mfa_enabled ? t("account.mfaOn") : t("account.mfaOff")],
    [t("account.policy"), me.policy_profile],
  ];
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("shell.account")}</h1>
        <Link className="btn" to="/account/security">
          {t("nav.security")}
        </Link>
      </div>
      <div className="card">
        <dl className="props" data-testid="account-props">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </div>
      <div className="card">
        <h3>{t("admin.grants")}</h3>
        <ul className="grant-list">
          {me.grants.map((g) => (
            <li key={String(g.id)} className="grant">
              <strong>{t(`enums.role.${g.role}`)}</strong> · {g.site_code ?? t("shell.allSites")}
            </li>
          ))}
        </ul>
        <h3>{t("admin.permissions")}</h3>
        <div>
          {me.permissions.map((p) => (
            <span key={p} className="badge badge-neutral" title={p}>
              {t(`permissions.${p}`, { defaultValue: p })}
            </span>
          ))}
        </div>
      </div>
    </div>
  );
}
