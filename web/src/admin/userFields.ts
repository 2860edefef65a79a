import type { FieldDef } from "../components/form/types";

const LOCALES = ["en", "zh-CN"] as const;

export const USER_CREATE_FIELDS: FieldDef[] = [
  { name: "username", type: "text", required: true },
  { name: "full_name", type: "text", required: true },
  { name: "email", type: "email" },
  { name: "locale", type: "select", options: LOCALES, enumKey: "locale", required: true },
  { name: "password", type: "password", required: true },
];

export const USER_EDIT_FIELDS: FieldDef[] = [
  { name: "username", type: "text", readOnly: true },
  { name: "full_name", type: "text", required: true },
  { name: "email", type: "email" },
  { name: "locale", type: "select", options: LOCALES, enumKey: "locale", required: true },
];
