import { useTranslation } from "react-i18next";
import { ruleText } from "./format";

/** A run rule in words, with its short code for people who know the rule sets by number. */
export function RuleLabel({ rule }: { rule: string }) {
  const { t } = useTranslation();
  return (
    <span className="rule-label" data-testid="rule-label">
      <span className="rule-text">{ruleText(t, rule)}</span> <code className="rule-code">{rule}</code>
    </span>
  );
}
