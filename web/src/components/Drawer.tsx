import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

export function Drawer({
  title,
  onClose,
  children,
  testid = "drawer",
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testid?: string;
}) {
  const { t } = useTranslation();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="drawer-layer">
      <div className="drawer-scrim" onClick={onClose} />
      <aside className="drawer" role="dialog" aria-modal="true" data-testid={testid}>
        <header className="drawer-head">
          <h2>{title}</h2>
          <button className="btn btn-ghost" aria-label={t("common.close")} data-testid="drawer-close" onClick={onClose}>
            ✕
          </button>
        </header>
        <div className="drawer-body">{children}</div>
      </aside>
    </div>
  );
}
