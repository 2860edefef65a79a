import { useTranslation } from "react-i18next";
import { isSupplierLot } from "./api";

/** The kind of an identity (lot, supplier lot, unit, container, location, customer) as a coloured tag. */
export function KindBadge({ kind, id }: { kind: string; id?: string }) {
  const { t } = useTranslation();
  const look = kind === "lot" && id && isSupplierLot(id) ? "supplier" : kind;
  return (
    <span className={`kind-tag kind-${look}`} data-testid="kind-badge" data-kind={look}>
      {t(`trace.kind.${look}`, { defaultValue: kind })}
    </span>
  );
}

/** A hold (persistent disposition) on an identity; nothing when there is none. */
export function HoldBadge({ hold }: { hold: string | null | undefined }) {
  const { t } = useTranslation();
  if (!hold) return null;
  return (
    <span className="badge badge-danger badge-hold" data-testid="hold-badge" data-value={hold}>
      {t(`trace.disposition.${hold}`, { defaultValue: hold })}
    </span>
  );
}

const STATUS_TONE: Record<string, string> = { draft: "warn", scoped: "neutral", held: "danger", closed: "muted" };

export function RecallStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${STATUS_TONE[status] ?? "neutral"}`} data-testid="recall-status" data-value={status}>
      {t(`trace.recallStatus.${status}`, { defaultValue: status })}
    </span>
  );
}

export function DrillBadge({ drill }: { drill: boolean }) {
  const { t } = useTranslation();
  return drill ? (
    <span className="badge badge-warn" data-testid="drill-badge">
      {t("trace.recall.drill")}
    </span>
  ) : null;
}
