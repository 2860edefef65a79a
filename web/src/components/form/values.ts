import type { Id } from "../../api/types";
import type { FieldDef, FormValues } from "./types";

/** Record → strings for the inputs. */
export function toFormValues(fields: FieldDef[], record: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    const v = record[f.name];
    values[f.name] = v === null || v === undefined ? "" : String(v);
  }
  return values;
}

/** One input value → the JSON value the API expects. `ids` maps picker values back to their original ids. */
export function parseValue(field: FieldDef, raw: string, ids?: Map<string, Id>): unknown {
  const text = raw.trim();
  if (text === "") return null;
  switch (field.type) {
    case "number":
    case "integer": {
      const n = Number(text.replace(",", "."));
      return Number.isNaN(n) ? text : n;
    }
    case "ref":
      return ids?.get(text) ?? text;
    default:
      return field.type === "textarea" ? raw : text;
  }
}

/** Body for a create: every filled, writable field. */
export function createBody(fields: FieldDef[], values: FormValues, ids: Map<string, Id>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.readOnly || f.editOnly) continue;
    const v = parseValue(f, values[f.name] ?? "", ids);
    if (v !== null) body[f.name] = v;
  }
  return body;
}

/** Body for an update: only the fields that changed. */
export function changedBody(
  fields: FieldDef[],
  initial: FormValues,
  values: FormValues,
  ids: Map<string, Id>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.readOnly || f.createOnly) continue;
    if ((values[f.name] ?? "").trim() !== (initial[f.name] ?? "").trim()) {
      body[f.name] = parseValue(f, values[f.name] ?? "", ids);
    }
  }
  return body;
}
