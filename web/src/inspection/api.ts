/**
 * Inspection endpoints: lots, results, decisions and the ISO 2859-1 sampling calculator.
 * Everything is typed from the OpenAPI schema; only the server's plain strings (kind, status,
 * severity, decision) are narrowed to their unions here.
 */
import { api, unwrap } from "../api/client";
import type { components, operations } from "../api/schema";
import type { Id, Page } from "../api/types";

type S = components["schemas"];

export type LotKind = S["LotKind"];
export type LotStatus = S["LotStatus"];
export type LotDecision = S["LotDecision"];
export type InspectionLevel = S["InspectionLevel"];
export type LotCreate = S["LotCreate"];
export type ResultIn = S["ResultIn"];
export type ResultRead = S["ResultRead"];
export type Severity = "normal" | "tightened" | "reduced";
export type Recommendation = "accept" | "reject";

export const LOT_KINDS: LotKind[] = ["incoming", "in_process", "final"];
export const LOT_STATUSES: LotStatus[] = ["open", "in_progress", "decided"];
export const DECISIONS: LotDecision[] = ["accept", "reject", "conditional"];
export const LEVELS: InspectionLevel[] = ["I", "II", "III", "S-1", "S-2", "S-3", "S-4"];
export const SEVERITIES: Severity[] = ["normal", "tightened", "reduced"];
/** The preferred AQL series of ISO 2859-1, as printed in the tables. */
export const AQL_LABELS = [
  "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65",
  "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
  "100", "150", "250", "400", "650", "1000",
] as const;

/** The AQL as the tables print it (1 → "1.0", 0.1 → "0.10"). */
export function aqlLabel(aql: number | null | undefined): string {
  if (aql === null || aql === undefined) return "";
  return AQL_LABELS.find((label) => Math.abs(Number(label) - aql) < 1e-9) ?? String(aql);
}

/** ISO 2859-1 single sampling plan (the calculator's answer). */
export type SamplingPlan = Omit<S["SamplingPlanRead"], "severity"> & { severity: Severity };

/** The plan a lot was created with; without an AQL (variables only) only the sizes are known. */
export type LotSampling = Omit<S["LotSampling"], "severity"> & { severity: Severity };

/** One characteristic of the lot's inspection plan (copied from the control plan at creation). */
export type PlanLine = S["PlanLine"];

export type Lot = Omit<S["LotRead"], "sampling" | "status" | "kind" | "decision" | "recommendation" | "severity"> & {
  kind: LotKind;
  status: LotStatus;
  decision: LotDecision | null;
  recommendation: Recommendation | null;
  severity: Severity;
  sampling: LotSampling;
};

export type CharacteristicSummary = S["CharacteristicSummary"];

/** `characteristics` is keyed by characteristic id (a string in JSON). */
export type LotSummary = S["LotSummary"];

export type LotResults = Omit<S["ResultsOut"], "lot"> & { lot: Lot };

export type LotSort = NonNullable<NonNullable<operations["list_lots_api_inspection_lots_get"]["parameters"]["query"]>["sort"]>;

type RawResults = S["ResultsOut"];

// The server's strings for kind, status, severity and decision are narrowed to their unions here.
const asResults = (raw: RawResults) => raw as LotResults;

export const inspectionKeys = {
  lots: (filters: Record<string, unknown>) => ["inspection", "lots", filters] as const,
  lot: (id: Id) => ["inspection", "lot", id] as const,
  sampling: (query: Record<string, unknown>) => ["inspection", "sampling", query] as const,
};

export const inspectionApi = {
  listLots: async (query: {
    status?: LotStatus;
    kind?: LotKind;
    site_id?: Id;
    q?: string;
    sort?: LotSort;
    limit: number;
    offset: number;
  }) => (await unwrap(api.GET("/api/inspection/lots", { params: { query } }))) as Page<Lot>,
  createLot: async (body: LotCreate) => (await unwrap(api.POST("/api/inspection/lots", { body }))) as Lot,
  getLot: async (lotId: Id) =>
    asResults(await unwrap(api.GET("/api/inspection/lots/{lot_id}", { params: { path: { lot_id: lotId } } }))),
  putResults: async (lotId: Id, results: ResultIn[]) =>
    asResults(
      await unwrap(
        api.PUT("/api/inspection/lots/{lot_id}/results", { params: { path: { lot_id: lotId } }, body: { results } }),
      ),
    ),
  decide: async (lotId: Id, body: { decision: LotDecision; reason: string | null; version: number }) =>
    (await unwrap(
      api.POST("/api/inspection/lots/{lot_id}/decision", { params: { path: { lot_id: lotId } }, body }),
    )) as Lot,
  samplingPlan: async (query: { lot_size: number; aql: number; level: string; severity: string }) =>
    (await unwrap(api.GET("/api/inspection/sampling-plan", { params: { query } }))) as SamplingPlan,
};
