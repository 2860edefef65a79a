import { useTranslation } from "react-i18next";

const TONE: Record<string, string> = { open: "neutral", in_progress: "warn", decided: "muted" };

export function LotStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${TONE[status] ?? "neutral"}`} data-testid="lot-status" data-value={status}>
      {t(`inspection.status.${status}`, { defaultValue: status })}
    </span>
  );
}
