import { useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, isApiError } from "../api/errors";
import type { Id } from "../api/types";
import { FieldErrors } from "../components/FieldErrors";
import { useErrorText } from "../lib/errorText";
import { spcApi, type LimitSet, type LimitSetCreate } from "./api";
import { chartKey, localInputToIso } from "./format";

type ChartName = NonNullable<LimitSetCreate["chart"]>;
type RuleSetName = NonNullable<LimitSetCreate["rule_set"]>;
type SigmaName = NonNullable<LimitSetCreate["sigma_method"]>;

const CHARTS: ChartName[] = ["xbar.one", "xbar", "R", "S"];
const RULE_SETS: RuleSetName[] = ["western-electric", "nelson", "qcc"];
const SIGMA_METHODS: Record<string, SigmaName[]> = {
  "xbar.one": ["MR", "SD"],
  xbar: ["UWAVE-R", "UWAVE-SD", "MVLUE-R", "MVLUE-SD", "RMSDF"],
  R: ["UWAVE-R", "MVLUE-R"],
  S: ["UWAVE-SD", "MVLUE-SD", "RMSDF"],
};
const FIELDS = [
  "characteristic_id",
  "chart",
  "subgroup_size",
  "phase1_from",
  "phase1_to",
  "center",
  "std_dev",
  "nsigmas",
  "sigma_method",
  "rule_set",
  "run_length",
  "reaction_plan",
  "reason",
];

function Field({
  name,
  label,
  error,
  required,
  wide,
  children,
}: {
  name: string;
  label: string;
  error: ApiError | null;
  required?: boolean;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <label className={`field ${wide ? "field-wide" : ""}`} data-testid={`ls-field-${name}`}>
      <span>
        {label} {required && <span className="required">*</span>}
      </span>
      {children}
      <FieldErrors error={error} field={name} />
    </label>
  );
}

const toNumber = (text: string): number | null => (text.trim() === "" ? null : Number(text));

/** Proposes a new limit set (a draft: it monitors nothing until someone approves it). */
export function LimitSetForm({ characteristicId, active, onDone }: { characteristicId: Id; active: LimitSet | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const [chart, setChart] = useState<ChartName>((active?.chart as ChartName) ?? "xbar.one");
  const [subgroup, setSubgroup] = useState(String(active?.subgroup_size ?? 1));
  const [source, setSource] = useState<"phase1" | "known">("phase1");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [center, setCenter] = useState("");
  const [stdDev, setStdDev] = useState("");
  const [nsigmas, setNsigmas] = useState(String(active?.nsigmas ?? 3));
  const [sigmaMethod, setSigmaMethod] = useState<SigmaName | "">("");
  const [ruleSet, setRuleSet] = useState<RuleSetName>((active?.rule_set as RuleSetName) ?? "western-electric");
  const [runLength, setRunLength] = useState(String(active?.run_length ?? 7));
  const [reactionPlan, setReactionPlan] = useState(active?.reaction_plan ?? "");
  const [reason, setReason] = useState("");

  const mutation = useMutation({
    mutationFn: () => {
      const body: LimitSetCreate = {
        characteristic_id: characteristicId,
        chart,
        subgroup_size: Number(subgroup),
        nsigmas: Number(nsigmas),
        rule_set: ruleSet,
        run_length: Number(runLength),
        reaction_plan: reactionPlan.trim() || null,
        reason: reason.trim(),
      };
      if (source === "phase1") {
        body.phase1_from = localInputToIso(from);
        body.phase1_to = localInputToIso(to);
        body.sigma_method = sigmaMethod || null;
      } else {
        // Both values are needed, or the server would estimate from all stored readings instead.
        const missing = [
          ["center", center],
          ["std_dev", stdDev],
        ].filter(([, v]) => v.trim() === "");
        if (missing.length > 0) {
          throw new ApiError(422, {
            status: 422,
            errors: missing.map(([field]) => ({ field, code: "required", message: "required" })),
          });
        }
        body.center = toNumber(center);
        body.std_dev = toNumber(stdDev);
      }
      return spcApi.createLimitSet(body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["spc"] });
      onDone();
    },
  });
  const error = isApiError(mutation.error) ? mutation.error : null;
  const unplaced = mutation.error && !(error && error.fieldErrors.some((fe) => FIELDS.includes(fe.field.split(".").pop() ?? "")));

  const changeChart = (value: ChartName) => {
    setChart(value);
    setSigmaMethod("");
    if (value === "xbar.one") setSubgroup("1");
    else if (Number(subgroup) < 2) setSubgroup("5");
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };

  return (
    <form className="record-form" onSubmit={submit} data-testid="limit-set-form" noValidate>
      <p className="muted">{t("spc.limits.formHint")}</p>
      <div className="form-grid">
        <Field name="chart" label={t("spc.limits.chart")} error={error} required>
          <select data-testid="ls-chart" value={chart} onChange={(e) => changeChart(e.target.value as ChartName)}>
            {CHARTS.map((c) => (
              <option key={c} value={c}>
                {t(`spc.chartType.${chartKey(c)}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field name="subgroup_size" label={t("spc.limits.subgroupSize")} error={error} required>
          <input
            data-testid="ls-subgroup"
            type="number"
            min={1}
            max={50}
            value={subgroup}
            disabled={chart === "xbar.one"}
            onChange={(e) => setSubgroup(e.target.value)}
          />
        </Field>
        <fieldset className="field-wide choice" data-testid="ls-source">
          <legend>{t("spc.limits.source")}</legend>
          <label className="check">
            <input type="radio" name="source" checked={source === "phase1"} onChange={() => setSource("phase1")} data-testid="ls-source-phase1" />
            {t("spc.limits.fromPhase1")}
          </label>
          <label className="check">
            <input type="radio" name="source" checked={source === "known"} onChange={() => setSource("known")} data-testid="ls-source-known" />
            {t("spc.limits.known")}
          </label>
        </fieldset>
        {source === "phase1" ? (
          <>
            <Field name="phase1_from" label={t("spc.limits.phase1From")} error={error}>
              <input data-testid="ls-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
            </Field>
            <Field name="phase1_to" label={t("spc.limits.phase1To")} error={error}>
              <input data-testid="ls-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
            </Field>
            <Field name="sigma_method" label={t("spc.limits.sigmaMethod")} error={error}>
              <select data-testid="ls-sigma-method" value={sigmaMethod} onChange={(e) => setSigmaMethod(e.target.value as SigmaName | "")}>
                <option value="">{t("spc.limits.defaultMethod")}</option>
                {SIGMA_METHODS[chart].map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </Field>
          </>
        ) : (
          <>
            <Field name="center" label={t("spc.limits.center")} error={error} required>
              <input data-testid="ls-center" type="number" step="any" value={center} onChange={(e) => setCenter(e.target.value)} />
            </Field>
            <Field name="std_dev" label={t("spc.limits.sigma")} error={error} required>
              <input data-testid="ls-std-dev" type="number" step="any" min={0} value={stdDev} onChange={(e) => setStdDev(e.target.value)} />
            </Field>
          </>
        )}
        <Field name="nsigmas" label={t("spc.limits.nsigmas")} error={error} required>
          <input data-testid="ls-nsigmas" type="number" step="0.1" min={0.1} max={6} value={nsigmas} onChange={(e) => setNsigmas(e.target.value)} />
        </Field>
        <Field name="rule_set" label={t("spc.limits.ruleSet")} error={error} required>
          <select data-testid="ls-rule-set" value={ruleSet} onChange={(e) => setRuleSet(e.target.value as RuleSetName)}>
            {RULE_SETS.map((r) => (
              <option key={r} value={r}>
                {t(`spc.ruleSet.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        {ruleSet === "qcc" && (
          <Field name="run_length" label={t("spc.limits.runLength")} error={error}>
            <input data-testid="ls-run-length" type="number" min={2} max={50} value={runLength} onChange={(e) => setRunLength(e.target.value)} />
          </Field>
        )}
        <Field name="reaction_plan" label={t("spc.alarm.reactionPlan")} error={error} wide>
          <textarea data-testid="ls-reaction-plan" rows={3} value={reactionPlan} onChange={(e) => setReactionPlan(e.target.value)} />
        </Field>
        <Field name="reason" label={t("fields.reason")} error={error} required wide>
          <textarea
            data-testid="ls-reason"
            rows={2}
            placeholder={t("form.reasonHint")}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
      </div>
      {unplaced && (
        <div className="alert alert-error" data-testid="ls-error">
          {errorText(mutation.error)}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onDone}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="ls-submit" disabled={mutation.isPending}>
          {mutation.isPending ? t("common.working") : t("spc.limits.createDraft")}
        </button>
      </div>
    </form>
  );
}
