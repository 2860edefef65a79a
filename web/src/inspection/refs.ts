/** Master data the inspection screens look up: items, gauges, suppliers and lines. */
import { useQuery } from "@tanstack/react-query";
import { plantApi, type PlantResource } from "../api/plant";
import type { Gauge, Id, Item, PlantNode, Supplier } from "../api/types";

const NO_FILTER: Record<string, string> = {};

function useList<T>(resource: PlantResource, siteId: Id | null | undefined, filter = NO_FILTER, enabled = true) {
  const site = siteId ?? undefined;
  return useQuery({
    queryKey: ["inspection-ref", resource, site === undefined ? "" : String(site), filter],
    queryFn: () => plantApi.list<T>(resource, { limit: 500, offset: 0, sort: "code", site_id: site, ...filter }),
    staleTime: 30_000,
    enabled,
  });
}

const LINES = { level: "line" };

/** Every product and material the user may see (all sites unless one is given). */
export function useItems(siteId?: Id | null) {
  const query = useList<Item>("items", siteId);
  return { items: query.data?.items ?? [], loading: query.isLoading };
}

export function useGauges(siteId: Id | null | undefined) {
  const query = useList<Gauge>("gauges", siteId);
  return query.data?.items ?? [];
}

export function useSuppliers(siteId: Id | null | undefined, enabled = true) {
  const query = useList<Supplier>("suppliers", siteId, NO_FILTER, enabled);
  return query.data?.items ?? [];
}

export function useLines(siteId: Id | null | undefined, enabled = true) {
  const query = useList<PlantNode>("nodes", siteId, LINES, enabled);
  return query.data?.items ?? [];
}

export function byId<T extends { id: Id }>(rows: T[]): Map<Id, T> {
  return new Map(rows.map((r) => [r.id, r]));
}
