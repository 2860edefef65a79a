import { request, withQuery } from "./client";
import type { Id, ImportResult, Page, PlantRecord } from "./types";

/** Plant resources served under /api/plant/{resource}. */
export type PlantResource = "nodes" | "equipment" | "gauges" | "items" | "characteristics" | "suppliers" | "customers";

/** Master-data resources of other modules: the same generic API under their module's prefix. */
const OTHER_BASES = { "control-plan-lines": "/api/inspection" } as const;
export type MasterResource = PlantResource | keyof typeof OTHER_BASES;

export interface ListParams {
  limit: number;
  offset: number;
  sort?: string;
  q?: string;
  [filter: string]: string | number | boolean | undefined;
}

const base = (resource: MasterResource) =>
  `${resource in OTHER_BASES ? OTHER_BASES[resource as keyof typeof OTHER_BASES] : "/api/plant"}/${resource}`;

export const plantApi = {
  list: <T = PlantRecord>(resource: MasterResource, params: ListParams) =>
    request<Page<T>>("GET", base(resource), { query: params }),
  get: <T = PlantRecord>(resource: MasterResource, id: Id) => request<T>("GET", `${base(resource)}/${id}`),
  create: <T = PlantRecord>(resource: MasterResource, body: Record<string, unknown>) =>
    request<T>("POST", base(resource), { body }),
  update: <T = PlantRecord>(resource: MasterResource, id: Id, body: Record<string, unknown>) =>
    request<T>("PATCH", `${base(resource)}/${id}`, { body }),
  retire: (resource: MasterResource, id: Id, reason: string) =>
    request<unknown>("POST", `${base(resource)}/${id}/retire`, { body: { reason } }),
  exportUrl: (resource: MasterResource, query: Record<string, string | undefined>) =>
    withQuery(`${base(resource)}/export.xlsx`, query),
  importFile: (resource: MasterResource, file: File) => {
    const form = new FormData();
    form.append("file", file);
    return request<ImportResult>("POST", `${base(resource)}/import`, { form });
  },
};
