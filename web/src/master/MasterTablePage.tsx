import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { plantApi } from "../api/plant";
import type { Id, PlantRecord } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { ServerGrid, type PageRequest } from "../components/ServerGrid";
import { useSite } from "../shell/SiteContext";
import { toColDefs } from "./columns";
import { ImportDialog } from "./ImportDialog";
import { RecordDrawer } from "./RecordDrawer";
import type { ResourceConfig } from "./resources";

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** A master-data list (server-side paging, sorting and search) with its create/edit drawer, export and import. */
export function MasterTablePage({ config }: { config: ResourceConfig }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { site } = useSite();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const [version, setVersion] = useState(0);
  const [importing, setImporting] = useState(false);
  const [includeRetired, setIncludeRetired] = useState(false);
  const siteId = site ? String(site.id) : "";

  const openId = params.get("id");
  const creating = params.get("new") === "1";
  const columns = useMemo(() => toColDefs(config.columns, t, i18n.language), [config.columns, t, i18n.language]);

  const fetchPage = useCallback(
    (r: PageRequest) =>
      plantApi.list<PlantRecord>(config.resource, {
        ...r,
        sort: r.sort ?? config.defaultSort,
        q: q || undefined,
        site_id: siteId || undefined,
        include_retired: includeRetired || undefined,
      }),
    [config.resource, config.defaultSort, q, siteId, includeRetired],
  );

  const open = (id: Id) => setParams({ id: String(id) });
  const close = useCallback(() => setParams({}), [setParams]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t(config.title)}</h1>
        <div className="toolbar">
          <input
            type="search"
            className="search"
            data-testid="search-input"
            placeholder={t("grid.search")}
            aria-label={t("grid.search")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <label className="check">
            <input
              type="checkbox"
              data-testid="include-retired"
              checked={includeRetired}
              onChange={(e) => setIncludeRetired(e.target.checked)}
            />
            {t("grid.includeRetired")}
          </label>
          <a
            className="btn"
            data-testid="export-button"
            href={plantApi.exportUrl(config.resource, { site_id: siteId || undefined, q: q || undefined })}
            download
          >
            {t("grid.export")}
          </a>
          {can("import.run") && (
            <button className="btn" data-testid="import-button" onClick={() => setImporting(true)}>
              {t("grid.import")}
            </button>
          )}
          {can("master.write") && (
            <button className="btn btn-primary" data-testid="new-button" onClick={() => setParams({ new: "1" })}>
              {t("common.new")}
            </button>
          )}
        </div>
      </div>
      <ServerGrid<PlantRecord>
        columns={columns}
        fetchPage={fetchPage}
        refreshKey={`${config.resource}|${q}|${siteId}|${includeRetired}|${version}`}
        onRowClick={(row) => open(row.id)}
      />
      {(openId || creating) && (
        <RecordDrawer
          key={openId ?? "new"}
          config={config}
          id={openId ? Number(openId) : null}
          onCreated={(rec) => {
            reload();
            open(rec.id);
          }}
          onChanged={reload}
          onClose={close}
        />
      )}
      {importing && (
        <ImportDialog
          resource={config.resource}
          onClose={() => setImporting(false)}
          onImported={reload}
        />
      )}
    </div>
  );
}
