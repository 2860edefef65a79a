import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes, useParams } from "react-router-dom";
import { AccountPage } from "./account/AccountPage";
import { SecurityPage } from "./account/SecurityPage";
import { RolesPage } from "./admin/RolesPage";
import { UsersPage } from "./admin/UsersPage";
import { useAuth } from "./auth/AuthContext";
import { LoginPage } from "./auth/LoginPage";
import { MasterTablePage } from "./master/MasterTablePage";
import { CONTROL_PLAN_LINES, RESOURCES } from "./master/resources";
import { PlantTreePage } from "./plant/PlantTreePage";
import { AppShell } from "./shell/AppShell";
import { lazy, Suspense, type ReactNode } from "react";

// SPC screens (and ECharts with them) load on first use, outside the main bundle.
const SpcBoardPage = lazy(() => import("./spc/BoardPage"));
const SpcCharacteristicsPage = lazy(() => import("./spc/CharacteristicsPage"));
const SpcChartPage = lazy(() => import("./spc/ControlChartPage"));
const SpcCapabilityPage = lazy(() => import("./spc/CapabilityPage"));
const SpcAlarmsPage = lazy(() => import("./spc/AlarmsPage"));
// Inspection screens, likewise.
const InspectionLotsPage = lazy(() => import("./inspection/LotsPage"));
const InspectionLotEntryPage = lazy(() => import("./inspection/LotEntryPage"));
const SamplingCalculatorPage = lazy(() => import("./inspection/SamplingCalculatorPage"));
// Traceability screens (and Cytoscape.js with them), likewise.
const TraceSearchPage = lazy(() => import("./trace/TraceSearchPage"));
const TraceGraphPage = lazy(() => import("./trace/GraphPage"));
const RecallsPage = lazy(() => import("./trace/RecallsPage"));
const RecallPage = lazy(() => import("./trace/RecallPage"));
const HoldsPage = lazy(() => import("./trace/HoldsPage"));
const DhrPage = lazy(() => import("./trace/DhrPage"));

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

function Lazy({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return <Suspense fallback={<div className="page-loading">{t("common.loading")}</div>}>{children}</Suspense>;
}

/** An SPC screen: lazily loaded, shown to users who may read master data. */
function SpcRoute({ children }: { children: ReactNode }) {
  return (
    <RequirePermission permission="master.read">
      <Lazy>{children}</Lazy>
    </RequirePermission>
  );
}

/** An inspection screen: loaded and permitted like an SPC screen. */
const InspectionRoute = SpcRoute;

/** A traceability screen: lazily loaded, shown to users who may trace. */
function TraceRoute({ children }: { children: ReactNode }) {
  return (
    <RequirePermission permission="trace.read">
      <Lazy>{children}</Lazy>
    </RequirePermission>
  );
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
        <Route path="/spc" element={<Navigate to="/spc/board" replace />} />
        <Route path="/spc/board" element={<SpcRoute><SpcBoardPage /></SpcRoute>} />
        <Route path="/spc/characteristics" element={<SpcRoute><SpcCharacteristicsPage /></SpcRoute>} />
        <Route path="/spc/chart/:characteristicId" element={<SpcRoute><SpcChartPage /></SpcRoute>} />
        <Route path="/spc/capability/:characteristicId" element={<SpcRoute><SpcCapabilityPage /></SpcRoute>} />
        <Route path="/spc/alarms" element={<SpcRoute><SpcAlarmsPage /></SpcRoute>} />
        <Route path="/inspection" element={<Navigate to="/inspection/lots" replace />} />
        <Route path="/inspection/lots" element={<InspectionRoute><InspectionLotsPage /></InspectionRoute>} />
        <Route path="/inspection/lots/:lotId" element={<InspectionRoute><InspectionLotEntryPage /></InspectionRoute>} />
        <Route path="/inspection/sampling" element={<InspectionRoute><SamplingCalculatorPage /></InspectionRoute>} />
        <Route
          path="/inspection/control-plan"
          element={
            <RequirePermission permission="master.read">
              <MasterTablePage key="control-plan-lines" config={CONTROL_PLAN_LINES} />
            </RequirePermission>
          }
        />
        <Route path="/trace" element={<TraceRoute><TraceSearchPage /></TraceRoute>} />
        <Route path="/trace/graph" element={<TraceRoute><TraceGraphPage /></TraceRoute>} />
        <Route path="/trace/recalls" element={<TraceRoute><RecallsPage /></TraceRoute>} />
        <Route path="/trace/recalls/:recallId" element={<TraceRoute><RecallPage /></TraceRoute>} />
        <Route path="/trace/holds" element={<TraceRoute><HoldsPage /></TraceRoute>} />
        <Route path="/trace/dhr" element={<TraceRoute><DhrPage /></TraceRoute>} />
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
