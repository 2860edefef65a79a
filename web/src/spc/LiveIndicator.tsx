import { useTranslation } from "react-i18next";
import type { LiveState } from "./useLiveBoard";

/** "Live" while the event stream delivers, "Reconnecting" while the board is polled instead. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  return (
    <span className={`live live-${state}`} data-testid="live-indicator" data-state={state} role="status">
      <span className="live-dot" aria-hidden />
      {t(`spc.live.${state}`)}
    </span>
  );
}
