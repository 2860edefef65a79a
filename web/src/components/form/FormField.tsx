import { useTranslation } from "react-i18next";
import type { ApiError } from "../../api/errors";
import type { Id } from "../../api/types";
import { FieldErrors } from "../FieldErrors";
import { RefSelect } from "./RefSelect";
import type { FieldDef } from "./types";

export function FormField({
  field,
  value,
  onChange,
  mode,
  error,
  siteId,
  ids,
}: {
  field: FieldDef;
  value: string;
  onChange: (value: string) => void;
  mode: "create" | "edit";
  error: ApiError | null;
  siteId: string;
  ids: Map<string, Id>;
}) {
  const { t } = useTranslation();
  const disabled = field.readOnly || (mode === "edit" && field.createOnly);
  const common = {
    id: `f-${field.name}`,
    "data-testid": `field-${field.name}`,
    value,
    required: field.required && !disabled,
    disabled,
  };
  let input;
  switch (field.type) {
    case "textarea":
      input = <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />;
      break;
    case "select":
      input = (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          {!field.required && <option value="">{t("common.none")}</option>}
          {field.required && value === "" && <option value="">{t("common.choose")}</option>}
          {value !== "" && !(field.options ?? []).includes(value) && <option value={value}>{value}</option>}
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {t(`enums.${field.enumKey ?? field.name}.${o}`, { defaultValue: o })}
            </option>
          ))}
        </select>
      );
      break;
    case "ref":
      input = (
        <RefSelect
          kind={field.ref!}
          name={field.name}
          value={value}
          onChange={onChange}
          siteId={siteId}
          filter={field.refFilter}
          required={field.required}
          disabled={disabled}
          ids={ids}
        />
      );
      break;
    default: {
      const type = { number: "text", integer: "text", date: "date", email: "email", password: "password" }[field.type as string] ?? "text";
      const inputMode = field.type === "number" ? "decimal" : field.type === "integer" ? "numeric" : undefined;
      const shown = field.readOnly && field.enumKey && value ? t(`enums.${field.enumKey}.${value}`, { defaultValue: value }) : value;
      input = (
        <input {...common} value={shown} type={type} inputMode={inputMode} onChange={(e) => onChange(e.target.value)} />
      );
    }
  }
  return (
    <div className={`field${field.wide || field.type === "textarea" ? " field-wide" : ""}`}>
      <label htmlFor={`f-${field.name}`}>
        {t(`fields.${field.name}`)}
        {field.required && !disabled && <span className="required"> *</span>}
      </label>
      {input}
      <FieldErrors error={error} field={field.name} />
    </div>
  );
}
