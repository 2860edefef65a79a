import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { useErrorText } from "../lib/errorText";
import { TREE_KEY } from "./keys";
import { NodeDetail } from "./NodeDetail";
import { TreeView } from "./TreeView";


export function PlantTreePage() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [params, setParams] = useSearchParams();
  const selected = params.get("node");
  const query = useQuery({ queryKey: TREE_KEY, queryFn: () => unwrap(api.GET("/api/plant/tree")) });

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("nav.plantTree")}</h1>
      </div>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      <div className="split">
        <div className="split-left card">
          {query.isLoading && <p className="muted">{t("common.loading")}</p>}
          {query.data && query.data.length === 0 && <p className="muted">{t("tree.empty")}</p>}
          {query.data && query.data.length > 0 && (
            <TreeView roots={query.data} selected={selected} onSelect={(id) => setParams({ node: String(id) })} />
          )}
        </div>
        <div className="split-right">
          {selected ? (
            <NodeDetail key={selected} id={Number(selected)} onSelect={(id) => setParams({ node: String(id) })} />
          ) : (
            <div className="card muted">{t("tree.selectHint")}</div>
          )}
        </div>
      </div>
    </div>
  );
}
