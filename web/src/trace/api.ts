/**
 * Traceability endpoints: identity search, genealogy graph and lists, recalls, holds, EPCIS events.
 * Fixed shapes come from the OpenAPI schema; the stored scope of a recall (items, quantities, mass
 * balance) is free-form JSON on the server and is given its shape here.
 */
import { api, request, unwrap, withQuery } from "../api/client";
import type { components } from "../api/schema";
import type { Id } from "../api/types";

type S = components["schemas"];

export type Identity = S["IdentityRead"];
export type GraphData = S["GraphRead"];
export type GraphNode = S["GraphNode"];
export type GraphEdge = S["GraphEdge"];
export type TraceList = S["TraceRead"];
export type TraceItem = S["TraceItem"];
export type Hold = S["HoldRead"];
export type SuspectIn = S["SuspectIn"];
export type SuspectKind = SuspectIn["kind"];
export type RecallCreate = S["RecallCreate"];
export type Disposition = NonNullable<S["HoldsIn"]["disposition"]>;
export type Dhr = S["DhrRead"];
export type DhrStep = S["DhrStep"];
export type DhrParameter = S["DhrParameter"];
export type DhrInspection = S["DhrInspection"];
export type DhrInstrument = S["DhrInstrument"];

export type Kind = "lot" | "unit" | "container" | "location" | "customer";
export const KINDS: Kind[] = ["lot", "unit", "container", "location", "customer"];
export const SUSPECT_KINDS: SuspectKind[] = ["lots", "supplier_lot", "station_window", "equipment", "gauge"];
export const DISPOSITIONS: Disposition[] = ["recalled", "non_conformant", "expired", "damaged"];
export type Side = "both" | "forward" | "backward";
export type Direction = "forward" | "backward";
export type RecallStatus = "draft" | "scoped" | "held" | "closed";

/** One identity of a recall's blast radius (the server keeps up to 2,000 per kind; counts are complete). */
export interface ScopeItem {
  id: string;
  label: string;
  product: string | null;
  lot: string | null;
  serial: string | null;
  site_id: number | null;
  hold: string | null;
  quantity: number | null;
  uom: string | null;
  depth: number;
  suspect: boolean;
  /** Item, customer or site name, where known. */
  name?: string | null;
}

/** Quantity reached per product, for lots and for customers. */
export interface ScopeQuantity {
  kind: "lot" | "customer";
  product: string;
  name?: string | null;
  uom: string | null;
  quantity: number;
}

/** received = consumed + shipped + transferred + scrapped + on hand (+ difference). */
export interface MassBalanceRow {
  id: string;
  label: string;
  product: string | null;
  received: number;
  consumed: number;
  shipped: number;
  transferred: number;
  scrapped: number;
  on_hand: number;
  on_hand_source: "counted" | "computed";
  difference: number;
}

export type Recall = Omit<S["RecallRead"], "status" | "items" | "quantities" | "mass_balance" | "counts"> & {
  status: RecallStatus;
  counts: Partial<Record<Kind, number>> | null;
  items: Partial<Record<Kind, ScopeItem[]>> | null;
  quantities: ScopeQuantity[] | null;
  mass_balance: MassBalanceRow[] | null;
};

/** A folded group node's id: `group:<parent key>:<kind>:<sign>` (the parent key may hold colons). */
export function parseGroupId(id: string): { parent: string; kind: string; direction: Direction } | null {
  if (!id.startsWith("group:")) return null;
  const rest = id.slice("group:".length);
  const signAt = rest.lastIndexOf(":");
  const kindAt = rest.lastIndexOf(":", signAt - 1);
  if (signAt < 0 || kindAt < 0) return null;
  return {
    parent: rest.slice(0, kindAt),
    kind: rest.slice(kindAt + 1, signAt),
    direction: Number(rest.slice(signAt + 1)) < 0 ? "backward" : "forward",
  };
}

/** Supplier lots are lots under a `urn:qualitas:supplier-lot:` key (the supplier's own number). */
export function isSupplierLot(id: string): boolean {
  return id.startsWith("urn:qualitas:supplier-lot:");
}

/** The supplier code of a supplier-lot key (`urn:qualitas:supplier-lot:<supplier>:<item>:<lot>`). */
export function supplierOf(id: string): string | null {
  if (!isSupplierLot(id)) return null;
  const part = id.slice("urn:qualitas:supplier-lot:".length).split(":")[0];
  return part ? decodeURIComponent(part) : null;
}

export interface GraphQuery {
  id: string;
  side: Side;
  depth: number;
  since?: string | null;
  until?: string | null;
}

export interface ListQuery {
  id: string;
  direction: Direction;
  since?: string | null;
  until?: string | null;
  kind?: string[];
  limit?: number;
}

export const traceKeys = {
  search: (q: string) => ["trace", "search", q] as const,
  graph: (q: GraphQuery) => ["trace", "graph", q] as const,
  list: (q: ListQuery) => ["trace", "list", q] as const,
  event: (id: string) => ["trace", "event", id] as const,
  dhr: (id: string) => ["trace", "dhr", id] as const,
  recalls: ["trace", "recalls"] as const,
  recall: (id: Id) => ["trace", "recall", id] as const,
  holds: (filters: Record<string, unknown>) => ["trace", "holds", filters] as const,
};

/** An EPCIS 2.0 query document (JSON-LD); the events are in `epcisBody.queryResults.resultsBody.eventList`. */
interface EpcisQueryDocument {
  epcisBody?: { queryResults?: { resultsBody?: { eventList?: Record<string, unknown>[] } } };
}

export const EVENTS_URL = "/epcis/events";

/** Link to the standard EPCIS query for one event (opens the JSON-LD document). */
export function eventUrl(eventId: string): string {
  return withQuery(EVENTS_URL, { EQ_eventID: eventId });
}

export const traceApi = {
  search: (q: string, limit = 20) => unwrap(api.GET("/api/trace/search", { params: { query: { q, limit } } })),
  graph: (q: GraphQuery, signal?: AbortSignal) =>
    unwrap(
      api.GET("/api/trace/graph", {
        params: { query: { id: q.id, side: q.side, depth: q.depth, since: q.since || undefined, until: q.until || undefined } },
        signal,
      }),
    ),
  list: (q: ListQuery, signal?: AbortSignal) =>
    unwrap(
      api.GET("/api/trace/genealogy/{direction}", {
        params: {
          path: { direction: q.direction },
          query: { id: q.id, since: q.since || undefined, until: q.until || undefined, kind: q.kind, limit: q.limit },
        },
        signal,
      }),
    ),
  event: async (eventId: string) => {
    const doc = await request<EpcisQueryDocument>("GET", EVENTS_URL, { query: { EQ_eventID: eventId } });
    return doc?.epcisBody?.queryResults?.resultsBody?.eventList?.[0] ?? null;
  },
  recalls: async () => (await unwrap(api.GET("/api/trace/recalls", { params: { query: { limit: 500 } } }))) as Recall[],
  recall: async (id: Id) =>
    (await unwrap(api.GET("/api/trace/recalls/{recall_id}", { params: { path: { recall_id: id } } }))) as Recall,
  createRecall: async (body: RecallCreate) => (await unwrap(api.POST("/api/trace/recalls", { body }))) as Recall,
  rescope: async (id: Id) =>
    (await unwrap(api.POST("/api/trace/recalls/{recall_id}/scope", { params: { path: { recall_id: id } } }))) as Recall,
  placeHolds: async (id: Id, disposition: Disposition, reason: string) =>
    (await unwrap(
      api.POST("/api/trace/recalls/{recall_id}/holds", { params: { path: { recall_id: id } }, body: { disposition, reason } }),
    )) as Recall,
  closeRecall: async (id: Id, reason: string) =>
    (await unwrap(
      api.POST("/api/trace/recalls/{recall_id}/close", { params: { path: { recall_id: id } }, body: { reason } }),
    )) as Recall,
  holds: (query: { active?: boolean; recall_id?: Id; limit?: number }) =>
    unwrap(api.GET("/api/trace/holds", { params: { query } })),
  placeHold: (id: string, disposition: Disposition, reason: string) =>
    unwrap(api.POST("/api/trace/holds", { body: { id, disposition, reason } })),
  releaseHold: (holdId: Id, reason: string) =>
    unwrap(api.POST("/api/trace/holds/{hold_id}/release", { params: { path: { hold_id: holdId } }, body: { reason } })),
  /** The recall report; the PDF is written in `lang`, the workbook has no language of its own. */
  reportUrl: (id: Id, format: "pdf" | "xlsx", lang: string) =>
    withQuery(`/api/trace/recalls/${id}/report.${format}`, format === "pdf" ? { lang } : undefined),
  dhr: (id: string) => unwrap(api.GET("/api/trace/dhr", { params: { query: { id } } })),
  dhrPdfUrl: (id: string, lang: string) => withQuery("/api/trace/dhr.pdf", { id, lang }),
};
