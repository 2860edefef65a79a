import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import type { Id, SiteRef } from "../api/types";
import { useMe } from "../auth/AuthContext";

const STORAGE_KEY = "qualitas.site";

interface SiteValue {
  sites: SiteRef[];
  /** The selected site, or null for "all sites". */
  site: SiteRef | null;
  setSiteId: (id: string) => void;
  /** The site that new records default to: the selected one, else the first the user may see. */
  defaultSiteId: Id | null;
}

const SiteContext = createContext<SiteValue | null>(null);

export function SiteProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const [selected, setSelected] = useState<string>(() => localStorage.getItem(STORAGE_KEY) ?? "");
  const value = useMemo<SiteValue>(() => {
    const sites = me.sites;
    let site = sites.find((s) => String(s.id) === selected) ?? null;
    if (!site && sites.length === 1) site = sites[0];
    return {
      sites,
      site,
      setSiteId: (id) => {
        localStorage.setItem(STORAGE_KEY, id);
        setSelected(id);
      },
      defaultSiteId: site?.id ?? sites[0]?.id ?? null,
    };
  }, [me.sites, selected]);
  return <SiteContext.Provider value={value}>{children}</SiteContext.Provider>;
}

export function useSite(): SiteValue {
  const value = useContext(SiteContext);
  if (!value) throw new Error("useSite outside SiteProvider");
  return value;
}
