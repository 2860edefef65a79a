import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes, useParams } from "react-router-dom";
import { AccountPage } from "./account/AccountPage";
import { SecurityPage } from "./account/SecurityPage";
import { RolesPage } from "./admin/RolesPage";
import { UsersPage } from "./admin/UsersPage";
import { useAuth } from "./auth/AuthContext";
import { LoginPage } from "./auth/LoginPage";
import { MasterTablePage } from "./master/MasterTablePage";
import { RESOURCES } from "./master/resources";
import { PlantTreePage } from "./plant/PlantTreePage";
import { AppShell } from "./shell/AppShell";
import type { ReactNode } from "react";

function NotFound() {
  const { t } = useTranslation();
  return <div className="card">{t("errors.notFound")}</div>;
}

function Forbidden() {
  const { t } = useTranslation();
  return (
    <div className="alert alert-error" data-testid="forbidden">
      {t("errors.forbidden")}
    </div>
  );
}

/** Shows a screen only to users holding `permission` (the server checks again on every call). */
function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? <>{children}</> : <Forbidden />;
}

function MasterRoute() {
  const { resource = "" } = useParams();
  const config = RESOURCES[resource as keyof typeof RESOURCES];
  if (!config) return <NotFound />;
  return (
    <RequirePermission permission="master.read">
      <MasterTablePage key={resource} config={config} />
    </RequirePermission>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<AppShell />}>
        <Route index element={<Navigate to="/plant/tree" replace />} />
        <Route
          path="/plant/tree"
          element={
            <RequirePermission permission="master.read">
              <PlantTreePage />
            </RequirePermission>
          }
        />
        <Route path="/plant/:resource" element={<MasterRoute />} />
        <Route
          path="/admin/users"
          element={
            <RequirePermission permission="users.admin">
              <UsersPage />
            </RequirePermission>
          }
        />
        <Route
          path="/admin/roles"
          element={
            <RequirePermission permission="users.admin">
              <RolesPage />
            </RequirePermission>
          }
        />
        <Route path="/account" element={<AccountPage />} />
        <Route path="/account/security" element={<SecurityPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
