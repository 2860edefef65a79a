import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import type { Identity } from "./api";
import { IdentityOption, IdentitySearch, recentIdentities } from "./IdentitySearch";
import { graphUrl } from "./links";
import "./trace.css";

/** Trace anything: one scanner-friendly box, the identities opened lately, the way to recalls. */
export default function TraceSearchPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [recent] = useState(recentIdentities);
  const open = (identity: Identity) => navigate(graphUrl(identity.id));

  return (
    <div className="page trace-page" data-testid="trace-search-page">
      <div className="page-head">
        <h1>{t("trace.search.title")}</h1>
        <div className="toolbar">
          <Link className="btn" to="/trace/recalls" data-testid="to-recalls">
            {t("trace.nav.recalls")}
          </Link>
          <Link className="btn" to="/trace/holds">
            {t("trace.nav.holds")}
          </Link>
        </div>
      </div>
      <section className="panel trace-search-panel">
        <p className="muted trace-search-hint">{t("trace.search.hint")}</p>
        <IdentitySearch onChoose={open} autoFocus large />
        <ul className="trace-search-examples muted small">
          <li>{t("trace.search.exampleSerial")}</li>
          <li>{t("trace.search.exampleGtin")}</li>
          <li>{t("trace.search.exampleContainer")}</li>
          <li>{t("trace.search.exampleSupplierLot")}</li>
        </ul>
      </section>
      {recent.length > 0 && (
        <section className="panel" data-testid="trace-recent">
          <h2>{t("trace.search.recent")}</h2>
          <ul className="identity-list">
            {recent.map((r) => (
              <li key={r.id}>
                <Link to={graphUrl(r.id)} className="identity-link">
                  <IdentityOption identity={r} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {can("trace.hold") && (
        <p className="muted small">
          {t("trace.search.recallHint")} <Link to="/trace/recalls?new=1">{t("trace.recalls.new")}</Link>
        </p>
      )}
    </div>
  );
}
