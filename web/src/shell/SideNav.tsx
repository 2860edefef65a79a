import { useTranslation } from "react-i18next";
import { NavLink } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { NAV, NAV_GROUPS } from "./nav";

export function SideNav({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const visible = NAV.filter((entry) => !entry.permission || can(entry.permission));
  return (
    <nav className="side-nav" data-testid="side-nav" aria-label={t("shell.navigation")}>
      {NAV_GROUPS.map((group) => {
        const entries = visible.filter((e) => e.group === group);
        if (entries.length === 0) return null;
        return (
          <div className="nav-group" key={group}>
            <div className="nav-group-title">{t(`navGroups.${group}`)}</div>
            {entries.map((entry) => (
              <NavLink
                key={entry.to}
                to={entry.to}
                end={!entry.prefix}
                className="nav-link"
                data-testid={entry.testid}
                onClick={onNavigate}
              >
                {t(entry.label)}
              </NavLink>
            ))}
          </div>
        );
      })}
    </nav>
  );
}
