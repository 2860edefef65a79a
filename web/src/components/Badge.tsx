import { useTranslation } from "react-i18next";

const TONES: Record<string, string> = {
  CC: "danger",
  SC: "warn",
  active: "ok",
  approved: "ok",
  in_service: "ok",
  released: "ok",
  conditional: "warn",
  draft: "warn",
  quarantined: "warn",
  out_of_calibration: "danger",
  disqualified: "danger",
  retired: "muted",
  obsolete: "muted",
  inactive: "muted",
};

/** A coloured label for a status or class; `enumKey` selects the translation group. */
export function Badge({ value, enumKey }: { value: string | null | undefined; enumKey?: string }) {
  const { t } = useTranslation();
  if (!value) return null;
  const label = enumKey ? t(`enums.${enumKey}.${value}`, { defaultValue: value }) : value;
  return (
    <span className={`badge badge-${TONES[value] ?? "neutral"}`} data-testid={`badge-${value}`}>
      {label}
    </span>
  );
}
