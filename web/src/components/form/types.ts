export type FieldType = "text" | "textarea" | "email" | "password" | "number" | "integer" | "select" | "date" | "ref";
export type RefKind = "site" | "node" | "item" | "characteristic" | "gauge" | "supplier" | "customer";

/** One field of a config-driven form; the label is `fields.<name>`, enum labels `enums.<enumKey>.<value>`. */
export interface FieldDef {
  name: string;
  type: FieldType;
  required?: boolean;
  /** Values of a `select`. */
  options?: readonly string[];
  enumKey?: string;
  /** What a `ref` field points at. */
  ref?: RefKind;
  /** Extra list filters for a `ref` picker, e.g. `{ kind: "product" }`. */
  refFilter?: Record<string, string>;
  /** Editable only when creating (e.g. the site). */
  createOnly?: boolean;
  /** Shown, never sent. */
  readOnly?: boolean;
  /** Not shown when creating. */
  editOnly?: boolean;
  /** Spans the whole form row. */
  wide?: boolean;
  step?: string;
}

export type FormValues = Record<string, string>;
