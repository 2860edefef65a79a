import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth, useMe } from "../auth/AuthContext";
import { LanguageSwitch } from "./LanguageSwitch";
import { useSite } from "./SiteContext";

function SiteSelector() {
  const { t } = useTranslation();
  const { sites, site, setSiteId } = useSite();
  return (
    <select
      className="site-select"
      data-testid="site-select"
      aria-label={t("shell.site")}
      value={site ? String(site.id) : ""}
      onChange={(e) => setSiteId(e.target.value)}
    >
      {sites.length !== 1 && <option value="">{t("shell.allSites")}</option>}
      {sites.map((s) => (
        <option key={String(s.id)} value={String(s.id)}>
          {s.code} · {s.name}
        </option>
      ))}
    </select>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useAuth();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  return (
    <div className="user-menu" ref={ref}>
      <button className="btn btn-ghost" data-testid="user-menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="avatar" aria-hidden>
          {(me.full_name || me.username).slice(0, 1).toUpperCase()}
        </span>
        <span className="user-name">{me.full_name || me.username}</span>
      </button>
      {open && (
        <div className="menu" role="menu">
          <Link role="menuitem" className="menu-item" to="/account" onClick={() => setOpen(false)}>
            {t("shell.account")}
          </Link>
          <Link role="menuitem" className="menu-item" to="/account/security" onClick={() => setOpen(false)}>
            {t("nav.security")}
          </Link>
          <button role="menuitem" className="menu-item" data-testid="logout" onClick={() => void logout()}>
            {t("shell.logout")}
          </button>
        </div>
      )}
    </div>
  );
}

export function TopBar({ onToggleNav }: { onToggleNav: () => void }) {
  const { t } = useTranslation();
  return (
    <header className="top-bar">
      <button className="btn btn-ghost nav-toggle" data-testid="nav-toggle" aria-label={t("shell.toggleNav")} onClick={onToggleNav}>
        ☰
      </button>
      <Link to="/" className="brand">
        Qualitas
      </Link>
      <div className="top-bar-spacer" />
      <SiteSelector />
      <LanguageSwitch />
      <UserMenu />
    </header>
  );
}
