import { request, withQuery } from "./client";
import type { Id, ImportResult, Page, PlantRecord } from "./types";

/** Plant resources served under /api/plant/{resource}. */
export type PlantResource = "nodes" | "equipment" | "gauges" | "items" | "characteristics" | "suppliers" | "customers";

export interface ListParams {
  limit: number;
  offset: number;
  sort?: string;
  q?: string;
  [filter: string]: string | number | boolean | undefined;
}

const base = (resource: PlantResource) => `/api/plant/${resource}`;

export const plantApi = {
  list: <T = PlantRecord>(resource: PlantResource, params: ListParams) =>
    request<Page<T>>("GET", base(resource), { query: params }),
  get: <T = PlantRecord>(resource: PlantResource, id: Id) => request<T>("GET", `${base(resource)}/${id}`),
  create: <T = PlantRecord>(resource: PlantResource, body: Record<string, unknown>) =>
    request<T>("POST", base(resource), { body }),
  update: <T = PlantRecord>(resource: PlantResource, id: Id, body: Record<string, unknown>) =>
    request<T>("PATCH", `${base(resource)}/${id}`, { body }),
  retire: (resource: PlantResource, id: Id, reason: string) =>
    request<unknown>("POST", `${base(resource)}/${id}/retire`, { body: { reason } }),
  exportUrl: (resource: PlantResource, query: Record<string, string | undefined>) =>
    withQuery(`${base(resource)}/export.xlsx`, query),
  importFile: (resource: PlantResource, file: File) => {
    const form = new FormData();
    form.append("file", file);
    return request<ImportResult>("POST", `${base(resource)}/import`, { form });
  },
};
