import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { isApiError } from "../api/errors";
import type { Id, ItemRevision } from "../api/types";
import { Badge } from "../components/Badge";
import { FieldErrors } from "../components/FieldErrors";
import { useErrorText } from "../lib/errorText";
import { BomPanel } from "./BomPanel";

const STATUSES = ["draft", "released", "obsolete"] as const;

function NewRevisionForm({ itemId, onCreated }: { itemId: Id; onCreated: (rev: ItemRevision) => void }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [revision, setRevision] = useState("");
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("draft");
  const [effective, setEffective] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<unknown>(null);
  const apiError = isApiError(error) ? error : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const body = { revision: revision.trim(), status, effective_from: effective || null, change_note: note || null };
      const rev = await unwrap(api.POST("/api/plant/items/{item_id}/revisions", { params: { path: { item_id: itemId } }, body }));
      setRevision("");
      setNote("");
      onCreated(rev);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} data-testid="revision-form">
      <div className="field">
        <label>{t("fields.revision")}</label>
        <input data-testid="field-revision" required value={revision} onChange={(e) => setRevision(e.target.value)} />
        <FieldErrors error={apiError} field="revision" />
      </div>
      <div className="field">
        <label>{t("fields.status")}</label>
        <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`enums.revisionStatus.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label>{t("fields.effective_from")}</label>
        <input type="date" value={effective} onChange={(e) => setEffective(e.target.value)} />
        <FieldErrors error={apiError} field="effective_from" />
      </div>
      <div className="field field-wide">
        <label>{t("fields.change_note")}</label>
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {error !== null && !apiError?.fieldErrors.length && <div className="alert alert-error field-wide">{errorText(error)}</div>}
      <div className="form-actions field-wide">
        <button className="btn btn-primary" type="submit">
          {t("items.addRevision")}
        </button>
      </div>
    </form>
  );
}

/** Revisions of a product or material, each with its bill of materials. */
export function ItemRevisions({ itemId, canWrite }: { itemId: Id; canWrite: boolean }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [selected, setSelected] = useState<Id | null>(null);
  const [adding, setAdding] = useState(false);
  const query = useQuery({
    queryKey: ["plant", "items", String(itemId), "revisions"],
    queryFn: () => unwrap(api.GET("/api/plant/items/{item_id}/revisions", { params: { path: { item_id: itemId } } })),
  });
  const revisions = query.data ?? [];
  const current = revisions.find((r) => r.id === selected) ?? revisions[revisions.length - 1];

  return (
    <section className="panel" data-testid="item-revisions">
      <div className="panel-head">
        <h3>{t("items.revisions")}</h3>
        {canWrite && (
          <button className="btn" onClick={() => setAdding(!adding)} data-testid="add-revision">
            {adding ? t("common.cancel") : t("items.addRevision")}
          </button>
        )}
      </div>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {adding && (
        <NewRevisionForm
          itemId={itemId}
          onCreated={(rev) => {
            setAdding(false);
            setSelected(rev.id);
            void query.refetch();
          }}
        />
      )}
      {revisions.length === 0 && query.isSuccess && <p className="muted">{t("items.noRevisions")}</p>}
      <div className="chips">
        {revisions.map((r) => (
          <button
            key={String(r.id)}
            className={`chip ${current?.id === r.id ? "chip-active" : ""}`}
            onClick={() => setSelected(r.id)}
            title={r.change_note ?? ""}
          >
            {r.revision} <Badge value={r.status} enumKey="revisionStatus" />
          </button>
        ))}
      </div>
      {current && <BomPanel revision={current} canWrite={canWrite} />}
    </section>
  );
}
