import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { plantApi, type PlantResource } from "../../api/plant";
import type { Id } from "../../api/types";
import { useSite } from "../../shell/SiteContext";
import type { RefKind } from "./types";

const RESOURCE: Record<Exclude<RefKind, "site">, PlantResource> = {
  node: "nodes",
  item: "items",
  characteristic: "characteristics",
  gauge: "gauges",
  supplier: "suppliers",
  customer: "customers",
};

interface Option {
  id: Id;
  label: string;
}

function useOptions(kind: RefKind, siteId: string, filter?: Record<string, string>): { options: Option[]; loading: boolean } {
  const { t } = useTranslation();
  const { sites } = useSite();
  const resource = kind === "site" ? null : RESOURCE[kind];
  const query = useQuery({
    queryKey: ["ref", resource, siteId, filter ?? {}],
    queryFn: () => plantApi.list(resource!, { limit: 500, offset: 0, sort: "code", site_id: siteId || undefined, ...filter }),
    enabled: resource !== null,
    staleTime: 30_000,
  });
  if (kind === "site") return { options: sites.map((s) => ({ id: s.id, label: `${s.code} · ${s.name}` })), loading: false };
  const items = query.data?.items ?? [];
  return {
    options: items.map((r) => ({
      id: r.id,
      label:
        [r.code, r.name].filter(Boolean).join(" · ") +
        (kind === "node" && r.level ? ` (${t(`enums.level.${String(r.level)}`)})` : ""),
    })),
    loading: query.isLoading,
  };
}

/** A picker for a referenced record; values are ids as strings, `ids` remembers the original id values. */
export function RefSelect({
  kind,
  name,
  value,
  onChange,
  siteId,
  filter,
  required,
  disabled,
  ids,
}: {
  kind: RefKind;
  name: string;
  value: string;
  onChange: (value: string) => void;
  siteId: string;
  filter?: Record<string, string>;
  required?: boolean;
  disabled?: boolean;
  ids: Map<string, Id>;
}) {
  const { t } = useTranslation();
  const { options, loading } = useOptions(kind, siteId, filter);
  for (const o of options) ids.set(String(o.id), o.id);
  const known = value === "" || options.some((o) => String(o.id) === value);
  return (
    <select
      id={`f-${name}`}
      data-testid={`field-${name}`}
      value={value}
      required={required}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{loading ? t("common.loading") : t("common.choose")}</option>
      {!known && <option value={value}>{value}</option>}
      {options.map((o) => (
        <option key={String(o.id)} value={String(o.id)}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
