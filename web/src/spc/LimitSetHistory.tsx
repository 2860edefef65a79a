import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useAuth } from "../auth/AuthContext";
import { Badge } from "../components/Badge";
import { ReasonDialog } from "../components/ReasonDialog";
import { formatDateTime, utc } from "../lib/format";
import { spcApi, type LimitSet } from "./api";
import { chartKey, formatNumber } from "./format";

function Phase1({ ls }: { ls: LimitSet }) {
  const { t, i18n } = useTranslation();
  const p = ls.phase1 as { from?: string | null; to?: string | null; points?: number; readings?: number };
  const count = t("spc.limits.phase1Count", { points: p.points ?? 0, readings: p.readings ?? 0 });
  if (!p.from && !p.to) return <span>{t("spc.limits.allReadings", { count })}</span>;
  const from = p.from ? formatDateTime(p.from, i18n.language) : t("spc.limits.start");
  const to = p.to ? formatDateTime(p.to, i18n.language) : t("spc.limits.end");
  return (
    <span>
      {from} – {to} · {count}
    </span>
  );
}

function LimitSetCard({ ls, onApprove }: { ls: LimitSet; onApprove: (ls: LimitSet) => void }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const num = (v: number) => formatNumber(v, i18n.language);
  return (
    <li className={`limit-set limit-set-${ls.status}`} data-testid={`limit-set-${ls.revision}`}>
      <div className="limit-set-head">
        <strong>{t("spc.limits.revision", { revision: ls.revision })}</strong>
        <Badge value={ls.status} enumKey="limitSetStatus" />
        <span className="muted">
          {t(`spc.chartType.${chartKey(ls.chart)}`, { defaultValue: ls.chart })}
          {ls.subgroup_size > 1 ? ` · n=${ls.subgroup_size}` : ""}
        </span>
        {ls.status === "draft" && can("spc.write") && (
          <button className="btn btn-small btn-primary" data-testid={`approve-${ls.revision}`} onClick={() => onApprove(ls)}>
            {t("spc.limits.approve")}
          </button>
        )}
      </div>
      <dl className="props props-compact">
        <div>
          <dt>{t("spc.limits.center")}</dt>
          <dd>{num(ls.center)}</dd>
        </div>
        <div>
          <dt>{t("spc.limits.sigma")}</dt>
          <dd>
            {num(ls.std_dev)} {ls.sigma_method && <span className="muted">({ls.sigma_method})</span>}
          </dd>
        </div>
        <div>
          <dt>{t("spc.limits.width")}</dt>
          <dd>±{num(ls.nsigmas)}σ</dd>
        </div>
        <div>
          <dt>{t("spc.limits.ruleSet")}</dt>
          <dd>
            {t(`spc.ruleSet.${ls.rule_set}`, { defaultValue: ls.rule_set })}
            {ls.rule_set === "qcc" ? ` (${t("spc.limits.runLengthShort", { n: ls.run_length })})` : ""}
          </dd>
        </div>
        <div className="field-wide">
          <dt>{t("spc.limits.phase1")}</dt>
          <dd>
            <Phase1 ls={ls} />
          </dd>
        </div>
        {ls.reaction_plan && (
          <div className="field-wide">
            <dt>{t("spc.alarm.reactionPlan")}</dt>
            <dd className="reaction-plan">{ls.reaction_plan}</dd>
          </div>
        )}
        <div className="field-wide">
          <dt>{t("spc.limits.created")}</dt>
          <dd>
            {ls.created_by} · <span title={utc(ls.created_at)}>{formatDateTime(ls.created_at, i18n.language)}</span>
            <div className="history-reason">“{ls.reason}”</div>
          </dd>
        </div>
        {ls.approved_at && (
          <div className="field-wide">
            <dt>{t("spc.limits.approved")}</dt>
            <dd>
              {ls.approved_by} · <span title={utc(ls.approved_at)}>{formatDateTime(ls.approved_at, i18n.language)}</span>
            </dd>
          </div>
        )}
      </dl>
    </li>
  );
}

/** Every limit set of a characteristic, newest first, with Approve on drafts. */
export function LimitSetHistory({ sets }: { sets: LimitSet[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [approving, setApproving] = useState<LimitSet | null>(null);
  const ordered = [...sets].sort((a, b) => b.revision - a.revision);
  return (
    <>
      {ordered.length === 0 ? (
        <p className="muted" data-testid="no-limit-sets">
          {t("spc.limits.none")}
        </p>
      ) : (
        <ul className="limit-sets" data-testid="limit-set-history">
          {ordered.map((ls) => (
            <LimitSetCard key={ls.id} ls={ls} onApprove={setApproving} />
          ))}
        </ul>
      )}
      {approving && (
        <ReasonDialog
          title={t("spc.limits.approveTitle", { revision: approving.revision })}
          confirmLabel={t("spc.limits.approve")}
          onConfirm={async (reason) => {
            await spcApi.approveLimitSet(approving.id, reason);
            await queryClient.invalidateQueries({ queryKey: ["spc"] });
          }}
          onClose={() => setApproving(null)}
        />
      )}
    </>
  );
}
