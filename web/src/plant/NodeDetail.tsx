import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { plantApi } from "../api/plant";
import type { Id, NodeLevel, PlantNode } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { Badge } from "../components/Badge";
import { auditKey, HistoryPanel } from "../components/HistoryPanel";
import { ReasonDialog } from "../components/ReasonDialog";
import { RecordForm } from "../components/form/RecordForm";
import type { FieldDef } from "../components/form/types";
import { useErrorText } from "../lib/errorText";
import { NODE_FIELDS } from "../master/resources";
import { TREE_KEY } from "./keys";

const CHILD_LEVEL: Record<NodeLevel, NodeLevel | null> = {
  enterprise: "site",
  site: "area",
  area: "line",
  line: "station",
  station: null,
};

const CHILD_FIELDS: FieldDef[] = NODE_FIELDS.filter((f) => ["code", "name", "description"].includes(f.name));

/** Details, edit form, new child and retire for one node of the plant hierarchy. */
export function NodeDetail({ id, onSelect }: { id: Id; onSelect: (id: Id) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [retiring, setRetiring] = useState(false);
  const key = ["plant", "nodes", id];
  const query = useQuery({ queryKey: key, queryFn: () => plantApi.get<PlantNode>("nodes", id) });
  const canWrite = can("hierarchy.write");
  const node = query.data;

  const changed = (saved?: PlantNode) => {
    if (saved && "version" in saved) queryClient.setQueryData(key, saved);
    else void query.refetch();
    void queryClient.invalidateQueries({ queryKey: TREE_KEY });
    void queryClient.invalidateQueries({ queryKey: auditKey("node", id) });
  };

  if (query.isLoading) return <div className="card muted">{t("common.loading")}</div>;
  if (query.error || !node) return <div className="alert alert-error">{errorText(query.error)}</div>;
  const childLevel = CHILD_LEVEL[node.level];

  return (
    <div className="stack" data-testid="node-detail">
      <div className="card">
        <div className="panel-head">
          <h2>
            {node.code} · {node.name}
          </h2>
          <Badge value={node.status} enumKey="status" />
        </div>
        <RecordForm
          key={`${id}-${node.version}`}
          fields={NODE_FIELDS}
          mode="edit"
          record={node}
          reason="optional"
          disabled={!canWrite}
          submit={(body) => plantApi.update<PlantNode>("nodes", id, body)}
          onSaved={changed}
          onReload={() => void query.refetch()}
        >
          {canWrite && childLevel && (
            <button type="button" className="btn" data-testid="add-child" onClick={() => setAdding(!adding)}>
              {t("tree.addChild", { level: t(`enums.level.${childLevel}`) })}
            </button>
          )}
          {canWrite && node.status !== "retired" && (
            <button type="button" className="btn btn-danger-outline" data-testid="retire-button" onClick={() => setRetiring(true)}>
              {t("common.retire")}
            </button>
          )}
        </RecordForm>
      </div>
      {adding && childLevel && (
        <div className="card" data-testid="new-child">
          <h3>{t("tree.newChild", { level: t(`enums.level.${childLevel}`), parent: node.code })}</h3>
          <RecordForm
            fields={CHILD_FIELDS}
            mode="create"
            record={{}}
            submit={(body) =>
              plantApi.create<PlantNode>("nodes", {
                ...body,
                level: childLevel,
                parent_id: node.id,
              })
            }
            onSaved={(created) => {
              setAdding(false);
              void queryClient.invalidateQueries({ queryKey: TREE_KEY });
              onSelect(created.id);
            }}
          />
        </div>
      )}
      <div className="card">
        <HistoryPanel entityType="node" id={node.id} />
      </div>
      {retiring && (
        <ReasonDialog
          title={t("form.retireTitle", { what: `${node.code} · ${node.name}` })}
          confirmLabel={t("common.retire")}
          onConfirm={(reason) => plantApi.retire("nodes", id, reason)}
          onClose={() => {
            setRetiring(false);
            changed();
          }}
        />
      )}
    </div>
  );
}
