/**
 * The left navigation. Add a screen with one line: its group, route, label key and,
 * when it needs one, the permission that shows it. Groups appear in NAV_GROUPS order.
 */
export interface NavEntry {
  group: NavGroup;
  to: string;
  label: string;
  testid: string;
  permission?: string;
  /** Also active on the routes below `to` (a record opened from the list). */
  prefix?: boolean;
}

export const NAV_GROUPS = ["plant", "spc", "inspection", "trace", "admin", "account"] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export const NAV: NavEntry[] = [
  { group: "plant", to: "/plant/tree", label: "nav.plantTree", testid: "nav-plant-tree", permission: "master.read" },
  { group: "plant", to: "/plant/equipment", label: "nav.equipment", testid: "nav-equipment", permission: "master.read" },
  { group: "plant", to: "/plant/gauges", label: "nav.gauges", testid: "nav-gauges", permission: "master.read" },
  { group: "plant", to: "/plant/items", label: "nav.items", testid: "nav-items", permission: "master.read" },
  { group: "plant", to: "/plant/characteristics", label: "nav.characteristics", testid: "nav-characteristics", permission: "master.read" },
  { group: "plant", to: "/plant/suppliers", label: "nav.suppliers", testid: "nav-suppliers", permission: "master.read" },
  { group: "plant", to: "/plant/customers", label: "nav.customers", testid: "nav-customers", permission: "master.read" },
  { group: "spc", to: "/spc/board", label: "nav.spcBoard", testid: "nav-spc-board", permission: "master.read" },
  { group: "spc", to: "/spc/characteristics", label: "nav.spcCharts", testid: "nav-spc-charts", permission: "master.read" },
  { group: "spc", to: "/spc/alarms", label: "nav.spcAlarms", testid: "nav-spc-alarms", permission: "master.read" },
  { group: "inspection", to: "/inspection/lots", label: "inspection.nav.lots", testid: "nav-inspection-lots", permission: "master.read" },
  { group: "inspection", to: "/inspection/sampling", label: "inspection.nav.sampling", testid: "nav-inspection-sampling", permission: "master.read" },
  { group: "inspection", to: "/inspection/control-plan", label: "inspection.nav.controlPlan", testid: "nav-control-plan", permission: "master.read" },
  { group: "trace", to: "/trace", label: "trace.nav.search", testid: "nav-trace-search", permission: "trace.read" },
  { group: "trace", to: "/trace/recalls", label: "trace.nav.recalls", testid: "nav-trace-recalls", permission: "trace.read", prefix: true },
  { group: "trace", to: "/trace/holds", label: "trace.nav.holds", testid: "nav-trace-holds", permission: "trace.read" },
  { group: "admin", to: "/admin/users", label: "nav.users", testid: "nav-users", permission: "users.admin" },
  { group: "admin", to: "/admin/roles", label: "nav.roles", testid: "nav-roles", permission: "users.admin" },
  { group: "account", to: "/account", label: "nav.profile", testid: "nav-profile" },
  { group: "account", to: "/account/security", label: "nav.security", testid: "nav-security" },
];
