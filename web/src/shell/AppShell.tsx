import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Outlet, useLocation } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { ChangePasswordForm } from "../auth/ChangePasswordForm";
import { MfaSetup } from "../account/MfaSetup";
import { SideNav } from "./SideNav";
import { SiteProvider } from "./SiteContext";
import { TopBar } from "./TopBar";

const WIDE = "(min-width: 1100px)";

function ForcedPasswordChange() {
  const { t } = useTranslation();
  const { refresh, logout } = useAuth();
  return (
    <div className="login-page">
      <div className="card login-card" data-testid="forced-password-change">
        <h1 className="brand">Qualitas</h1>
        <h2>{t("password.forcedTitle")}</h2>
        <p className="muted">{t("password.forcedHint")}</p>
        <ChangePasswordForm onDone={() => void refresh()} />
        <button className="btn btn-ghost" onClick={() => void logout()}>
          {t("shell.logout")}
        </button>
      </div>
    </div>
  );
}

function ForcedMfaSetup() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  return (
    <div className="login-page">
      <div className="login-card stack" data-testid="forced-mfa-setup">
        <h1 className="brand">Qualitas</h1>
        <p className="alert alert-info">{t("mfa.forcedHint")}</p>
        <MfaSetup />
        <button className="btn btn-ghost" onClick={() => void logout()}>
          {t("shell.logout")}
        </button>
      </div>
    </div>
  );
}

export function AppShell() {
  const { me, loading } = useAuth();
  const location = useLocation();
  const [navOpen, setNavOpen] = useState(() => window.matchMedia(WIDE).matches);
  const { t } = useTranslation();

  if (loading) return <div className="page-loading">{t("common.loading")}</div>;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (me.password_change_required) return <ForcedPasswordChange />;
  if (me.mfa_setup_required) return <ForcedMfaSetup />;

  const closeOnNarrow = () => {
    if (!window.matchMedia(WIDE).matches) setNavOpen(false);
  };

  return (
    <SiteProvider>
      <div className={`shell ${navOpen ? "nav-open" : "nav-closed"}`}>
        <TopBar onToggleNav={() => setNavOpen(!navOpen)} />
        <div className="shell-body">
          <SideNav onNavigate={closeOnNarrow} />
          {navOpen && <div className="nav-scrim" onClick={() => setNavOpen(false)} />}
          <main className="content">
            <Outlet />
          </main>
        </div>
      </div>
    </SiteProvider>
  );
}
