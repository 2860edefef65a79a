/**
 * Names the app uses for API types, mapped onto the schema generated from the backend's
 * OpenAPI document (`npm run gen:api` writes `schema.d.ts`). When the backend renames a
 * schema, only the right-hand sides here change.
 */
import type { components, operations } from "./schema";

type S = components["schemas"];

/** Every record id in the API is an integer. */
export type Id = number;
export type Locale = "en" | "zh-CN";

/** RFC 9457 problem document (the error body of every failed call). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string | null;
  instance?: string | null;
  code?: string | null;
  errors?: FieldError[] | null;
}
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export type Me = S["Me"];
export type Grant = S["GrantRead"];
export type Role = S["Role"];
export type SiteRef = S["SiteRef"];
export type MfaSetup = S["MfaSetup"];
export type Session = S["SessionRead"];
export type ApiToken = S["TokenRead"];
export type ApiTokenCreated = S["TokenCreated"];
export type User = S["UserRead"];
export type RoleInfo = S["RoleRead"];
export type EntityType =
  operations["history_api_audit_entity__entity_type___entity_id__get"]["parameters"]["path"]["entity_type"];
export type AuditEntry = S["HistoryEntry"];
export type TreeNode = S["TreeNode"];
export type NodeLevel = S["Level"];
export type PlantNode = S["NodeRead"];
export type Equipment = S["EquipmentRead"];
export type Gauge = S["GaugeRead"];
export type Item = S["ItemRead"];
export type ItemRevision = S["RevisionRead"];
export type BomLine = S["BomLineRead"];
export type BomTreeNode = S["BomTreeNode"];
export type Characteristic = S["CharacteristicRead"];
export type Supplier = S["SupplierRead"];
export type Customer = S["CustomerRead"];
export type ImportResult = S["ImportReport"];

/** Any record of a plant resource: every one has an id, a version and a status. */
export type PlantRecord = { id: Id; version: number; status?: string } & Record<string, unknown>;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export const ROLES: Role[] = [
  "operator",
  "inspector",
  "quality_engineer",
  "quality_manager",
  "supplier",
  "auditor",
  "admin",
];
