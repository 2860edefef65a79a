import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api/errors";
import { FieldErrors } from "../components/FieldErrors";
import { formatDateTime, utc } from "../lib/format";
import { DECISIONS, inspectionApi, type Lot, type LotDecision } from "./api";
import { useInspectionErrorText } from "./useInspectionErrorText";

const TONE: Record<LotDecision, string> = { accept: "ok", reject: "danger", conditional: "warn" };
const GLYPH: Record<LotDecision, string> = { accept: "✓", reject: "✗", conditional: "!" };

/** The decision once taken: what, why, who and when. */
function Decided({ lot }: { lot: Lot }) {
  const { t, i18n } = useTranslation();
  const decision = lot.decision as LotDecision;
  return (
    <div className={`decided decided-${TONE[decision]}`} data-testid="lot-decided" data-value={decision}>
      <div className="decided-head">
        <span className={`badge badge-${TONE[decision]} badge-large`}>
          {GLYPH[decision]} {t(`inspection.decision.${decision}`)}
        </span>
      </div>
      <dl className="props props-compact">
        <div>
          <dt>{t("inspection.decision.by")}</dt>
          <dd data-testid="decided-by">{lot.decided_by}</dd>
        </div>
        <div>
          <dt>{t("inspection.decision.at")}</dt>
          <dd title={utc(lot.decided_at)}>{formatDateTime(lot.decided_at, i18n.language)}</dd>
        </div>
        {lot.decision_reason && (
          <div className="field-wide">
            <dt>{t("fields.reason")}</dt>
            <dd data-testid="decided-reason">{lot.decision_reason}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

/**
 * Accept, reject or accept conditionally. A reason is needed for reject and conditional, and for
 * accepting against a reject recommendation. Pending results are saved first.
 */
export function DecisionPanel({
  lot,
  canDecide,
  prepare,
  onDecided,
  onConflict,
}: {
  lot: Lot;
  canDecide: boolean;
  /** Saves pending results; resolves to the lot's current state, or null when something is unsaved. */
  prepare: () => Promise<Lot | null>;
  onDecided: (lot: Lot) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useInspectionErrorText();
  const [decision, setDecision] = useState<LotDecision | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (lot.status === "decided") {
    return (
      <section className="panel decision-panel" data-testid="decision-panel" aria-labelledby="decision-title">
        <h2 id="decision-title">{t("inspection.decision.title")}</h2>
        <Decided lot={lot} />
      </section>
    );
  }
  if (!canDecide) {
    return (
      <section className="panel decision-panel" data-testid="decision-panel" aria-labelledby="decision-title">
        <h2 id="decision-title">{t("inspection.decision.title")}</h2>
        <p className="muted">{t("inspection.decision.notPermitted")}</p>
      </section>
    );
  }

  const reasonNeeded = decision !== null && (decision !== "accept" || lot.recommendation === "reject");
  const against = decision !== null && lot.recommendation !== null && decision !== lot.recommendation;
  const apiError = isApiError(error) ? error : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!decision) return;
    setBusy(true);
    setError(null);
    try {
      const current = await prepare();
      if (!current) {
        setError(new Error(t("inspection.decision.unsaved")));
        return;
      }
      const decided = await inspectionApi.decide(lot.id, {
        decision,
        reason: reason.trim() || null,
        version: current.version,
      });
      onDecided(decided);
    } catch (err) {
      setError(err);
      if (isApiError(err) && err.status === 409) onConflict();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel decision-panel" data-testid="decision-panel" aria-labelledby="decision-title">
      <h2 id="decision-title">{t("inspection.decision.title")}</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="decision-choices" role="radiogroup" aria-label={t("inspection.decision.title")}>
          {DECISIONS.map((d) => (
            <button
              key={d}
              type="button"
              role="radio"
              aria-checked={decision === d}
              className={`btn decision-choice decision-${TONE[d]}${decision === d ? " decision-selected" : ""}`}
              data-testid={`decision-${d}`}
              onClick={() => setDecision(d)}
            >
              <span aria-hidden>{GLYPH[d]}</span> {t(`inspection.decision.${d}`)}
            </button>
          ))}
        </div>
        {against && <div className="alert alert-warn">{t("inspection.decision.againstRecommendation")}</div>}
        <div className="field">
          <label htmlFor="decision-reason">
            {t("fields.reason")}
            {reasonNeeded && <span className="required"> *</span>}
          </label>
          <textarea
            id="decision-reason"
            data-testid="decision-reason"
            rows={3}
            value={reason}
            placeholder={t("inspection.decision.reasonHint")}
            onChange={(e) => setReason(e.target.value)}
          />
          <FieldErrors error={apiError} field="reason" />
        </div>
        {error !== null && !(apiError && apiError.errorsFor("reason").length > 0) && (
          <div className="alert alert-error" role="alert" data-testid="decision-error">
            {errorText(error)}
          </div>
        )}
        <div className="row-actions">
          <button
            type="submit"
            className="btn btn-primary btn-touch"
            data-testid="decision-submit"
            disabled={busy || decision === null || (reasonNeeded && reason.trim() === "")}
          >
            {busy ? t("common.working") : t("inspection.decision.submit")}
          </button>
        </div>
      </form>
    </section>
  );
}
