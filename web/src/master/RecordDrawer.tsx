import { useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { plantApi } from "../api/plant";
import type { Id, PlantRecord } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { Badge } from "../components/Badge";
import { Drawer } from "../components/Drawer";
import { auditKey, HistoryPanel } from "../components/HistoryPanel";
import { ReasonDialog } from "../components/ReasonDialog";
import { RecordForm } from "../components/form/RecordForm";
import { useErrorText } from "../lib/errorText";
import { useSite } from "../shell/SiteContext";
import { ItemRevisions } from "./ItemRevisions";
import type { ResourceConfig } from "./resources";

function defaultsFor(config: ResourceConfig, siteId: unknown): Record<string, unknown> {
  const defaults: Record<string, unknown> = { site_id: siteId };
  for (const f of config.fields) {
    if (f.type === "select" && f.required && f.options && !f.editOnly) defaults[f.name] = f.options[0];
  }
  return defaults;
}

export function RecordDrawer({
  config,
  id,
  onCreated,
  onChanged,
  onClose,
}: {
  config: ResourceConfig;
  id: Id | null;
  onCreated: (record: PlantRecord) => void;
  onChanged: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { defaultSiteId } = useSite();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const [retiring, setRetiring] = useState(false);
  const key = useMemo(() => ["plant", config.resource, id] as const, [config.resource, id]);
  const query = useQuery({ queryKey: key, queryFn: () => plantApi.get(config.resource, id!), enabled: id !== null });
  const canWrite = can("master.write");
  const defaults = useMemo(() => defaultsFor(config, defaultSiteId), [config, defaultSiteId]);

  if (id === null) {
    return (
      <Drawer title={t("form.newTitle", { what: t(config.one) })} onClose={onClose}>
        <RecordForm
          fields={config.fields}
          mode="create"
          record={defaults}
          submit={(body) => plantApi.create(config.resource, body)}
          onSaved={onCreated}
        />
      </Drawer>
    );
  }

  const record = query.data;
  const afterChange = (saved?: PlantRecord) => {
    if (saved && typeof saved === "object" && "version" in saved) queryClient.setQueryData(key, saved);
    else void query.refetch();
    void queryClient.invalidateQueries({ queryKey: auditKey(config.entityType, id) });
    onChanged();
  };
  const title = record ? `${String(record.code ?? "")} · ${String(record.name ?? "")}` : t(config.one);

  return (
    <Drawer title={title} onClose={onClose}>
      {query.isLoading && <p className="muted">{t("common.loading")}</p>}
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {record && (
        <>
          <div className="record-meta">
            <Badge value={record.status} enumKey={config.fields.find((f) => f.name === "status")?.enumKey ?? "status"} />
            <span className="muted">
              {t("fields.version")} {record.version}
            </span>
          </div>
          <RecordForm
            key={`${id}-${record.version}`}
            fields={config.fields}
            mode="edit"
            record={record}
            reason={config.reason}
            disabled={!canWrite}
            submit={(body) => plantApi.update(config.resource, id, body)}
            onSaved={(saved) => afterChange(saved)}
            onReload={() => void query.refetch()}
          >
            {canWrite && record.status !== "retired" && (
              <button type="button" className="btn btn-danger-outline" data-testid="retire-button" onClick={() => setRetiring(true)}>
                {t("common.retire")}
              </button>
            )}
          </RecordForm>
          {config.resource === "items" && <ItemRevisions itemId={record.id} canWrite={canWrite} />}
          <HistoryPanel entityType={config.entityType} id={record.id} />
        </>
      )}
      {retiring && (
        <ReasonDialog
          title={t("form.retireTitle", { what: title })}
          confirmLabel={t("common.retire")}
          onConfirm={(reason) => plantApi.retire(config.resource, id, reason)}
          onClose={() => {
            setRetiring(false);
            afterChange();
          }}
        />
      )}
    </Drawer>
  );
}
