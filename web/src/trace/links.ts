/** Addresses of the traceability screens. */
export const graphUrl = (id: string) => `/trace/graph?id=${encodeURIComponent(id)}`;
export const dhrUrl = (id: string) => `/trace/dhr?id=${encodeURIComponent(id)}`;
export const recallUrl = (id: number) => `/trace/recalls/${id}`;
