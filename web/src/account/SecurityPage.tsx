import { useTranslation } from "react-i18next";
import { ChangePasswordForm } from "../auth/ChangePasswordForm";
import { MfaSetup } from "./MfaSetup";
import { SessionsPanel } from "./SessionsPanel";
import { TokensPanel } from "./TokensPanel";

export function SecurityPage() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("nav.security")}</h1>
      </div>
      <div className="security-grid">
        <section className="card">
          <h2>{t("password.title")}</h2>
          <ChangePasswordForm />
        </section>
        <MfaSetup />
      </div>
      <SessionsPanel />
      <TokensPanel />
    </div>
  );
}
