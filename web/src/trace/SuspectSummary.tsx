import { useTranslation } from "react-i18next";
import { formatDateTime } from "../lib/format";

/** What the recall holds suspect, in one sentence and its parameters. */
export function SuspectSummary({ suspect }: { suspect: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const kind = String(suspect.kind ?? "");
  const text = (name: string) => (typeof suspect[name] === "string" ? (suspect[name] as string) : "");
  const when = (name: string) => (text(name) ? formatDateTime(text(name), i18n.language) : "");
  const ids = Array.isArray(suspect.ids) ? (suspect.ids as string[]) : [];
  const facts: [string, string][] = [
    [t("fields.site_id"), text("site")],
    [t("trace.field.supplier"), text("supplier")],
    [t("trace.field.supplierLot"), text("supplier_lot")],
    [t("trace.field.item"), text("item")],
    [t("trace.field.station"), text("station")],
    [t("trace.field.equipment"), text("equipment")],
    [t("trace.field.gauge"), text("gauge")],
    [t("trace.recalls.since"), when("since")],
    [t("trace.recalls.until"), when("until")],
  ];
  return (
    <section className="panel suspect-summary" data-testid="suspect-summary">
      <h2>
        {t("trace.recalls.suspect")}: {t(`trace.suspect.${kind}`, { defaultValue: kind })}
      </h2>
      <dl className="props props-compact">
        {facts
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      {ids.length > 0 && (
        <ul className="identifier-chips">
          {ids.map((id) => (
            <li key={id} className="identifier-chip">
              <span className="mono">{id}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
