/**
 * Many identifiers in one field: each scan (code + Enter) adds one, a paste of many lines (or
 * comma/tab separated) adds them all, Backspace in the empty box takes the last one back.
 */
import { useState, type ClipboardEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";

const SEPARATORS = /[\r\n\t,;]+/;

export function IdentifierListInput({
  id,
  values,
  onChange,
  max = 1000,
  testid = "identifier-list",
}: {
  id?: string;
  values: string[];
  onChange: (values: string[]) => void;
  max?: number;
  testid?: string;
}) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState("");

  const add = (codes: string[]) => {
    const next = [...values];
    for (const raw of codes) {
      const code = raw.trim();
      if (code && !next.includes(code) && next.length < max) next.push(code);
    }
    onChange(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === "Enter" || e.key === "Tab" || e.key === ",") {
      if (!text.trim()) return;
      e.preventDefault();
      add([text]);
      setText("");
    } else if (e.key === "Backspace" && !text && values.length) {
      onChange(values.slice(0, -1));
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const pasted = e.clipboardData.getData("text");
    if (!SEPARATORS.test(pasted)) return;
    e.preventDefault();
    add((text + pasted).split(SEPARATORS));
    setText("");
  };

  return (
    <div className="identifier-list" data-testid={testid}>
      {values.length > 0 && (
        <ul className="identifier-chips" aria-label={t("trace.recalls.identifiers")}>
          {values.map((v) => (
            <li key={v} className="identifier-chip" data-testid="identifier-chip">
              <span className="mono">{v}</span>
              <button type="button" className="chip-remove" aria-label={t("trace.recalls.removeIdentifier", { code: v })} onClick={() => onChange(values.filter((x) => x !== v))}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        className="scan-input"
        data-testid={`${testid}-input`}
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="next"
        placeholder={t("trace.recalls.identifiersHint")}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onBlur={() => {
          if (text.trim()) {
            add([text]);
            setText("");
          }
        }}
      />
      <div className="muted small" data-testid={`${testid}-count`}>
        {t("trace.recalls.identifierCount", { count: values.length, n: values.length.toLocaleString(i18n.language) })}
        {values.length > 0 && (
          <button type="button" className="link-button small identifier-clear" onClick={() => onChange([])}>
            {t("trace.recalls.clearIdentifiers")}
          </button>
        )}
      </div>
    </div>
  );
}
