import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useErrorText } from "../lib/errorText";

/** The role catalogue: which permissions each role carries. */
export function RolesPage() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const query = useQuery({ queryKey: ["admin", "roles"], queryFn: () => unwrap(api.GET("/api/admin/roles")) });
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("nav.roles")}</h1>
      </div>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      <div className="card table-scroll">
        <table className="table" data-testid="roles-table">
          <thead>
            <tr>
              <th>{t("fields.role")}</th>
              <th>{t("admin.permissions")}</th>
            </tr>
          </thead>
          <tbody>
            {(query.data ?? []).map((r) => (
              <tr key={r.role}>
                <td>
                  <strong>{t(`enums.role.${r.role}`, { defaultValue: r.role })}</strong>
                  <div className="muted mono">{r.role}</div>
                </td>
                <td>
                  {r.permissions.map((p) => (
                    <span key={p} className="badge badge-neutral" title={p}>
                      {t(`permissions.${p}`, { defaultValue: p })}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
