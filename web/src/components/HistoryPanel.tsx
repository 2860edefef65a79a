import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { AuditEntry, EntityType, Id } from "../api/types";
import { isApiError } from "../api/errors";
import { useAuth } from "../auth/AuthContext";
import { useErrorText } from "../lib/errorText";
import { formatDateTime, formatValue, utc } from "../lib/format";

export const auditKey = (entityType: EntityType, id: Id) => ["audit", entityType, String(id)] as const;

const COLLAPSE_AFTER = 4;

function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const show = (field: string, value: unknown) => {
    const site = field === "site_id" ? me?.sites.find((s) => s.id === value) : undefined;
    return site ? site.code : formatValue(value);
  };
  const list = (
    <ul className="history-changes">
      {entry.changes.map((c, i) => (
        <li key={i} data-testid="history-change">
          <span className="history-field">{t(`fields.${c.field}`, { defaultValue: c.field })}</span>
          {": "}
          <span className="old">{show(c.field, c.old)}</span>
          {" → "}
          <span className="new">{show(c.field, c.new)}</span>
        </li>
      ))}
    </ul>
  );
  // A new record lists every initial value: keep it folded.
  const initial = entry.changes.every((c) => c.old === null || c.old === undefined);
  if (!initial || entry.changes.length <= COLLAPSE_AFTER) return list;
  return (
    <details className="history-details">
      <summary>{t("history.values", { count: entry.changes.length })}</summary>
      {list}
    </details>
  );
}

function Entry({ entry }: { entry: AuditEntry }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="history-entry" data-testid="history-entry" data-action={entry.action}>
      <div className="history-head">
        <strong>{entry.actor_name ?? t("history.system")}</strong>
        <span className="badge badge-neutral" data-testid="history-action">
          {t(`history.actions.${entry.action}`, { defaultValue: entry.action })}
        </span>
        <time dateTime={entry.ts} title={utc(entry.ts)} className="muted">
          {formatDateTime(entry.ts, i18n.language)}
        </time>
      </div>
      {entry.changes.length > 0 && <Changes entry={entry} />}
      {entry.reason && (
        <div className="history-reason" data-testid="history-reason">
          {t("history.reason")}: {entry.reason}
        </div>
      )}
    </li>
  );
}

/** The audit trail of one record, newest first. */
export function HistoryPanel({ entityType, id }: { entityType: EntityType; id: Id }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const query = useQuery({
    queryKey: auditKey(entityType, id),
    queryFn: () =>
      unwrap(api.GET("/api/audit/entity/{entity_type}/{entity_id}", { params: { path: { entity_type: entityType, entity_id: id } } })),
  });
  const entries = [...(query.data ?? [])].sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0));

  return (
    <section className="history-panel" data-testid="history-panel">
      <h3>{t("history.title")}</h3>
      {query.isLoading && <p className="muted">{t("common.loading")}</p>}
      {query.error &&
        (isApiError(query.error) && query.error.status === 403 ? (
          <p className="muted">{t("history.notPermitted")}</p>
        ) : (
          <div className="alert alert-error">{errorText(query.error)}</div>
        ))}
      {query.isSuccess && entries.length === 0 && <p className="muted">{t("history.empty")}</p>}
      <ol className="history-list">
        {entries.map((entry) => (
          <Entry key={String(entry.id)} entry={entry} />
        ))}
      </ol>
    </section>
  );
}
