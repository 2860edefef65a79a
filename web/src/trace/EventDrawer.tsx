import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Drawer } from "../components/Drawer";
import { useTraceErrorText } from "./useTraceErrorText";
import { formatDateTime } from "../lib/format";
import { eventUrl, traceApi, traceKeys } from "./api";

/** The CBV vocabulary value without its URI prefix ("https://ref.gs1.org/cbv/BizStep-shipping" → "shipping"). */
function bare(value: unknown): string {
  if (typeof value !== "string") return "";
  const cut = Math.max(value.lastIndexOf("-"), value.lastIndexOf("/"), value.lastIndexOf(":"));
  return value.startsWith("http") || value.startsWith("urn:epcglobal:cbv") ? value.slice(cut + 1) : value;
}

function idOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "id" in value) return String((value as { id: unknown }).id);
  return "";
}

/** One EPCIS event of a path: its main facts and the full JSON-LD as stored. */
export function EventDrawer({ eventId, onClose }: { eventId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { errorText } = useTraceErrorText();
  const query = useQuery({ queryKey: traceKeys.event(eventId), queryFn: () => traceApi.event(eventId), staleTime: 300_000 });
  const ev = query.data;
  const facts: [string, string][] = ev
    ? [
        [t("trace.event.type"), String(ev.type ?? "")],
        [t("trace.event.time"), formatDateTime(String(ev.eventTime ?? ""), i18n.language)],
        [t("trace.event.action"), String(ev.action ?? "")],
        [t("trace.event.bizStep"), bare(ev.bizStep)],
        [t("trace.event.disposition"), bare(ev.disposition)],
        [t("trace.event.readPoint"), idOf(ev.readPoint)],
        [t("trace.event.bizLocation"), idOf(ev.bizLocation)],
      ]
    : [];
  return (
    <Drawer title={t("trace.event.title")} onClose={onClose} testid="event-drawer">
      <p className="mono small event-id" data-testid="event-id">
        {eventId}
      </p>
      <a className="btn btn-small" href={eventUrl(eventId)} target="_blank" rel="noreferrer" data-testid="event-query-link">
        {t("trace.event.openQuery")} ↗
      </a>
      {query.isLoading && <p className="muted">{t("common.loading")}</p>}
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {query.isSuccess && !ev && (
        <div className="alert alert-warn" data-testid="event-missing">
          {t("trace.event.missing")}
        </div>
      )}
      {ev && (
        <>
          <dl className="props props-compact">
            {facts
              .filter(([, v]) => v)
              .map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd className="mono-wrap">{v}</dd>
                </div>
              ))}
          </dl>
          <h3>{t("trace.event.json")}</h3>
          <pre className="event-json" data-testid="event-json">
            {JSON.stringify(ev, null, 2)}
          </pre>
        </>
      )}
    </Drawer>
  );
}
