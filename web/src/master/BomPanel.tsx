import { useRef, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { isApiError } from "../api/errors";
import type { BomTreeNode, Id, ItemRevision } from "../api/types";
import { FieldErrors } from "../components/FieldErrors";
import { RefSelect } from "../components/form/RefSelect";
import { useErrorText } from "../lib/errorText";
import { useSite } from "../shell/SiteContext";

function TreeRows({ node, depth }: { node: BomTreeNode; depth: number }) {
  return (
    <>
      <li className="bom-node" style={{ paddingLeft: `${depth * 1.25}rem` }} data-testid="bom-node">
        <span className="bom-code">{node.item_code}</span>
        {node.revision && <span className="muted"> rev {node.revision}</span>}
        <span className="bom-name"> {node.item_name}</span>
        <span className="bom-qty">
          × {node.quantity} {node.unit}
        </span>
      </li>
      {(node.children ?? []).map((c, i) => (
        <TreeRows key={i} node={c} depth={depth + 1} />
      ))}
    </>
  );
}

function AddLineForm({ revisionId, onAdded }: { revisionId: Id; onAdded: () => void }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const { defaultSiteId } = useSite();
  const ids = useRef(new Map<string, Id>()).current;
  const [component, setComponent] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [unit, setUnit] = useState("");
  const [position, setPosition] = useState("");
  const [error, setError] = useState<unknown>(null);
  const apiError = isApiError(error) ? error : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const body = {
        component_item_id: Number(component),
        quantity: Number(quantity.replace(",", ".")),
        unit: unit.trim() || null,
        ...(position.trim() === "" ? {} : { position: Number(position) }),
      };
      await unwrap(api.POST("/api/plant/revisions/{revision_id}/bom-lines", { params: { path: { revision_id: revisionId } }, body }));
      setComponent("");
      setPosition("");
      onAdded();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} data-testid="bom-line-form">
      <div className="field field-wide">
        <label>{t("fields.component_item_id")}</label>
        <RefSelect
          kind="item"
          name="component_item_id"
          value={component}
          onChange={setComponent}
          siteId={defaultSiteId === null ? "" : String(defaultSiteId)}
          required
          ids={ids}
        />
        <FieldErrors error={apiError} field="component_item_id" />
      </div>
      <div className="field">
        <label>{t("fields.quantity")}</label>
        <input inputMode="decimal" required value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        <FieldErrors error={apiError} field="quantity" />
      </div>
      <div className="field">
        <label>{t("fields.unit")}</label>
        <input value={unit} onChange={(e) => setUnit(e.target.value)} />
        <FieldErrors error={apiError} field="unit" />
      </div>
      <div className="field">
        <label>{t("fields.position")}</label>
        <input inputMode="numeric" value={position} onChange={(e) => setPosition(e.target.value)} />
      </div>
      {error !== null && !apiError?.fieldErrors.length && <div className="alert alert-error field-wide">{errorText(error)}</div>}
      <div className="form-actions field-wide">
        <button className="btn btn-primary" type="submit" disabled={!component}>
          {t("items.addLine")}
        </button>
      </div>
    </form>
  );
}

/** Bill of materials of one revision: its lines and the multi-level explosion. */
export function BomPanel({ revision, canWrite }: { revision: ItemRevision; canWrite: boolean }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const path = { params: { path: { revision_id: revision.id } } };
  const lines = useQuery({
    queryKey: ["bom-lines", String(revision.id)],
    queryFn: () => unwrap(api.GET("/api/plant/revisions/{revision_id}/bom-lines", path)),
  });
  const tree = useQuery({
    queryKey: ["bom-tree", String(revision.id)],
    queryFn: () => unwrap(api.GET("/api/plant/revisions/{revision_id}/bom-tree", path)),
  });
  const refresh = () => {
    void lines.refetch();
    void tree.refetch();
  };

  return (
    <div className="bom" data-testid="bom-panel">
      <h4>{t("items.bom", { revision: revision.revision })}</h4>
      {lines.error && <div className="alert alert-error">{errorText(lines.error)}</div>}
      {lines.data && lines.data.length === 0 && <p className="muted">{t("items.noLines")}</p>}
      {lines.data && lines.data.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>{t("fields.position")}</th>
                <th>{t("fields.component_code")}</th>
                <th>{t("fields.quantity")}</th>
                <th>{t("fields.unit")}</th>
              </tr>
            </thead>
            <tbody>
              {lines.data.map((l) => (
                <tr key={String(l.id)}>
                  <td>{l.position ?? ""}</td>
                  <td>{l.component_code}</td>
                  <td>{l.quantity}</td>
                  <td>{l.unit}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && <AddLineForm revisionId={revision.id} onAdded={refresh} />}
      <h4>{t("items.bomTree")}</h4>
      {tree.error && <div className="alert alert-error">{errorText(tree.error)}</div>}
      {tree.data && (
        <ul className="bom-tree" data-testid="bom-tree">
          <TreeRows node={tree.data} depth={0} />
        </ul>
      )}
    </div>
  );
}
