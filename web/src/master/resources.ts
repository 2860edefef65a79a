import type { MasterResource } from "../api/plant";
import type { EntityType } from "../api/types";
import type { ReasonMode } from "../components/form/RecordForm";
import type { FieldDef } from "../components/form/types";

export type ColumnKind = "text" | "number" | "enum" | "date" | "datetime" | "specialClass" | "calibrationDue" | "status";

export interface ColumnDef {
  field: string;
  kind?: ColumnKind;
  enumKey?: string;
  width?: number;
  sortable?: boolean;
}

export interface ResourceConfig {
  resource: MasterResource;
  entityType: EntityType;
  /** i18n key of the page title and of one record. */
  title: string;
  one: string;
  columns: ColumnDef[];
  fields: FieldDef[];
  reason: ReasonMode;
  defaultSort?: string;
}

export const GAUGE_STATUS = ["in_service", "out_of_calibration", "quarantined", "retired"] as const;
export const SUPPLIER_STATUS = ["approved", "conditional", "disqualified", "retired"] as const;

const site: FieldDef = { name: "site_id", type: "ref", ref: "site", required: true, createOnly: true };
const code: FieldDef = { name: "code", type: "text", required: true };
const name: FieldDef = { name: "name", type: "text", required: true };
const description: FieldDef = { name: "description", type: "textarea" };
/** Status with a known set of values that users may set directly (the server defaults it on create). */
const status = (options: readonly string[], enumKey: string): FieldDef => ({
  name: "status",
  type: "select",
  options,
  enumKey,
});
/** Status that changes only through actions (retire); shown read-only. */
const statusShown: FieldDef = { name: "status", type: "text", enumKey: "status", readOnly: true, editOnly: true };

const equipment: ResourceConfig = {
  resource: "equipment",
  entityType: "equipment",
  title: "nav.equipment",
  one: "resources.equipment",
  reason: "optional",
  columns: [
    { field: "code", width: 140 },
    { field: "name", width: 220 },
    { field: "kind" },
    { field: "manufacturer" },
    { field: "model" },
    { field: "serial_no" },
    { field: "status", kind: "status" },
  ],
  fields: [
    site,
    { name: "node_id", type: "ref", ref: "node" },
    code,
    name,
    { name: "kind", type: "text", required: true },
    { name: "manufacturer", type: "text" },
    { name: "model", type: "text" },
    { name: "serial_no", type: "text" },
    statusShown,
  ],
};

const gauges: ResourceConfig = {
  resource: "gauges",
  entityType: "gauge",
  title: "nav.gauges",
  one: "resources.gauge",
  reason: "required",
  columns: [
    { field: "code", width: 130 },
    { field: "name", width: 180 },
    { field: "gauge_type", width: 120 },
    { field: "unit", width: 80 },
    { field: "last_calibrated_on", kind: "date", width: 130 },
    { field: "calibration_due_on", kind: "calibrationDue", width: 130 },
    { field: "status", kind: "status", enumKey: "gaugeStatus", width: 170 },
  ],
  fields: [
    site,
    code,
    name,
    { name: "gauge_type", type: "text", required: true },
    { name: "unit", type: "text" },
    { name: "range_min", type: "number" },
    { name: "range_max", type: "number" },
    { name: "resolution", type: "number" },
    { name: "calibration_interval_days", type: "integer", required: true },
    { name: "last_calibrated_on", type: "date" },
    { name: "calibration_due_on", type: "date" },
    status(GAUGE_STATUS, "gaugeStatus"),
  ],
};

const items: ResourceConfig = {
  resource: "items",
  entityType: "item",
  title: "nav.items",
  one: "resources.item",
  reason: "required",
  columns: [
    { field: "code", width: 150 },
    { field: "name", width: 240 },
    { field: "kind", kind: "enum", enumKey: "itemKind" },
    { field: "unit", width: 90 },
    { field: "current_revision", width: 120 },
    { field: "status", kind: "status" },
  ],
  fields: [
    site,
    { name: "kind", type: "select", options: ["product", "material"], enumKey: "itemKind", required: true, createOnly: true },
    code,
    name,
    { name: "unit", type: "text" },
    description,
    { name: "current_revision", type: "text", readOnly: true, editOnly: true },
    statusShown,
  ],
};

const characteristics: ResourceConfig = {
  resource: "characteristics",
  entityType: "characteristic",
  title: "nav.characteristics",
  one: "resources.characteristic",
  reason: "required",
  columns: [
    { field: "code", width: 130 },
    { field: "name", width: 180 },
    { field: "special_class", kind: "specialClass", width: 110 },
    { field: "kind", kind: "enum", enumKey: "charKind", width: 100 },
    { field: "operation", width: 100 },
    { field: "unit", width: 80 },
    { field: "lsl", kind: "number", width: 90 },
    { field: "nominal", kind: "number", width: 90 },
    { field: "usl", kind: "number", width: 90 },
    { field: "status", kind: "status", width: 100 },
  ],
  fields: [
    site,
    { name: "item_id", type: "ref", ref: "item" },
    { name: "operation_node_id", type: "ref", ref: "node" },
    { name: "operation", type: "text" },
    code,
    name,
    { name: "kind", type: "select", options: ["variable", "attribute"], enumKey: "charKind", required: true },
    { name: "special_class", type: "select", options: ["none", "CC", "SC"], enumKey: "specialClass", required: true },
    { name: "unit", type: "text" },
    { name: "nominal", type: "number" },
    { name: "lsl", type: "number" },
    { name: "usl", type: "number" },
    { name: "gauge_type", type: "text" },
    description,
    statusShown,
  ],
};

const partner = (resource: "suppliers" | "customers"): ResourceConfig => ({
  resource,
  entityType: resource === "suppliers" ? "supplier" : "customer",
  title: `nav.${resource}`,
  one: resource === "suppliers" ? "resources.supplier" : "resources.customer",
  reason: "optional",
  columns: [
    { field: "code", width: 140 },
    { field: "name", width: 240 },
    { field: "country", width: 110 },
    { field: "contact_email", width: 220 },
    { field: "status", kind: "status", enumKey: resource === "suppliers" ? "supplierStatus" : "status" },
  ],
  fields: [
    site,
    code,
    name,
    { name: "country", type: "text" },
    { name: "contact_email", type: "email" },
    resource === "suppliers" ? status(SUPPLIER_STATUS, "supplierStatus") : statusShown,
  ],
});

export const RESOURCES = {
  equipment,
  gauges,
  items,
  characteristics,
  suppliers: partner("suppliers"),
  customers: partner("customers"),
} satisfies Record<string, ResourceConfig>;

/** Inspection levels of ISO 2859-1; II, the usual one and the server's default, first. */
export const INSPECTION_LEVELS = ["II", "I", "III", "S-1", "S-2", "S-3", "S-4"] as const;

/** Control-plan lines (served under /api/inspection, shown on /inspection/control-plan). */
export const CONTROL_PLAN_LINES: ResourceConfig = {
  resource: "control-plan-lines",
  entityType: "control_plan_line",
  title: "inspection.nav.controlPlan",
  one: "inspection.controlPlanLine",
  reason: "required",
  defaultSort: "code",
  columns: [
    { field: "code", width: 160 },
    { field: "name", width: 180 },
    { field: "operation", width: 100 },
    { field: "sample_size", kind: "number", width: 115 },
    { field: "frequency", width: 140 },
    { field: "gauge_type", width: 130 },
    { field: "aql", kind: "number", width: 80 },
    { field: "inspection_level", width: 140 },
    { field: "status", kind: "status", width: 100 },
  ],
  fields: [
    site,
    code,
    name,
    { name: "item_id", type: "ref", ref: "item", required: true },
    { name: "characteristic_id", type: "ref", ref: "characteristic", required: true },
    { name: "operation_node_id", type: "ref", ref: "node" },
    { name: "operation", type: "text" },
    { name: "sample_size", type: "integer" },
    { name: "frequency", type: "text", required: true },
    { name: "method", type: "text" },
    { name: "gauge_type", type: "text" },
    { name: "gauge_id", type: "ref", ref: "gauge" },
    { name: "aql", type: "number" },
    { name: "inspection_level", type: "select", options: INSPECTION_LEVELS, required: true },
    { name: "reaction_plan", type: "textarea", required: true },
    statusShown,
  ],
};

/** Plant hierarchy nodes (edited on the plant tree page). */
export const NODE_FIELDS: FieldDef[] = [
  { name: "level", type: "select", options: ["enterprise", "site", "area", "line", "station"], enumKey: "level", readOnly: true },
  code,
  name,
  description,
  statusShown,
];
