import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { Id } from "../api/types";
import { useErrorText } from "../lib/errorText";
import { formatDateTime, utc } from "../lib/format";

export function SessionsPanel() {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const query = useQuery({ queryKey: ["auth", "sessions"], queryFn: () => unwrap(api.GET("/api/auth/sessions")) });
  const when = (v: string | null) => <span title={utc(v)}>{formatDateTime(v, i18n.language)}</span>;

  async function revoke(id: Id) {
    setError(null);
    try {
      await unwrap(api.POST("/api/auth/sessions/{session_id}/revoke", { params: { path: { session_id: id } } }));
      void query.refetch();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section className="card" data-testid="sessions-panel">
      <h2>{t("sessions.title")}</h2>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {error && <div className="alert alert-error">{error}</div>}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>{t("sessions.device")}</th>
              <th>{t("sessions.ip")}</th>
              <th>{t("sessions.created")}</th>
              <th>{t("sessions.lastSeen")}</th>
              <th>{t("sessions.expires")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(query.data ?? []).map((s) => (
              <tr key={String(s.id)}>
                <td className="ua">{s.user_agent ?? "—"}</td>
                <td>{s.ip ?? "—"}</td>
                <td>{when(s.created_at)}</td>
                <td>{when(s.last_seen_at)}</td>
                <td>{when(s.expires_at)}</td>
                <td>
                  {s.current ? (
                    <span className="badge badge-ok">{t("sessions.current")}</span>
                  ) : (
                    <button className="btn btn-small btn-danger-outline" onClick={() => void revoke(s.id)}>
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
