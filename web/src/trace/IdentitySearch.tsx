/**
 * One box for any lot, serial, GTIN, container or supplier lot. Typing shows suggestions (kind and
 * hold state) after a short pause; a scanner types the code and presses Enter, which looks the code
 * up at once and opens it when it names one identity.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useTraceErrorText } from "./useTraceErrorText";
import { traceApi, traceKeys, type Identity } from "./api";
import { HoldBadge, KindBadge } from "./TraceBadges";

const DEBOUNCE_MS = 200;
const RECENT_KEY = "qualitas.trace.recent";
const RECENT_MAX = 8;

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Identities opened recently in this browser, newest first. */
export function recentIdentities(): Identity[] {
  try {
    const value = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]") as Identity[];
    return Array.isArray(value) ? value.filter((v) => v && typeof v.id === "string") : [];
  } catch {
    return [];
  }
}

export function rememberIdentity(identity: Identity): void {
  const rest = recentIdentities().filter((r) => r.id !== identity.id);
  localStorage.setItem(RECENT_KEY, JSON.stringify([identity, ...rest].slice(0, RECENT_MAX)));
}

/** The one identity a typed or scanned code names, if it names exactly one. */
function pick(text: string, found: Identity[]): Identity | null {
  if (found.length === 1) return found[0];
  const exact = found.filter((r) => r.id === text || r.label === text || r.serial === text || r.lot === text);
  return exact.length === 1 ? exact[0] : null;
}

export function IdentityOption({ identity }: { identity: Identity }) {
  return (
    <>
      <KindBadge kind={identity.kind} id={identity.id} />
      <span className="identity-label">{identity.label}</span>
      {identity.product && <span className="muted small identity-product">{identity.product}</span>}
      <HoldBadge hold={identity.hold} />
    </>
  );
}

export function IdentitySearch({
  onChoose,
  autoFocus = false,
  large = false,
  initial = "",
  placeholder,
  testid = "trace-search",
}: {
  onChoose: (identity: Identity) => void;
  autoFocus?: boolean;
  large?: boolean;
  initial?: string;
  placeholder?: string;
  testid?: string;
}) {
  const { t } = useTranslation();
  const { errorText } = useTraceErrorText();
  const queryClient = useQueryClient();
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initial);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const q = useDebounced(text.trim(), DEBOUNCE_MS);
  const suggestions = useQuery({
    queryKey: traceKeys.search(q),
    queryFn: () => traceApi.search(q),
    enabled: q.length >= 2,
    staleTime: 10_000,
  });
  const results = q.length >= 2 && q === text.trim() ? (suggestions.data ?? []) : [];
  const showList = open && results.length > 0;

  useEffect(() => setActive(-1), [q]);

  function choose(identity: Identity) {
    setOpen(false);
    setMessage(null);
    setText(identity.label);
    rememberIdentity(identity);
    onChoose(identity);
  }

  async function submit() {
    const code = text.trim();
    if (!code) return;
    if (showList && active >= 0 && results[active]) {
      choose(results[active]);
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const found = await queryClient.fetchQuery({ queryKey: traceKeys.search(code), queryFn: () => traceApi.search(code), staleTime: 10_000 });
      const one = pick(code, found);
      if (one) choose(one);
      else if (found.length === 0) setMessage(t("trace.search.nothing", { code }));
      else {
        setMessage(t("trace.search.several", { count: found.length }));
        setOpen(true);
      }
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.nativeEvent.isComposing) return;
    if (e.key === "Enter") {
      e.preventDefault();
      void submit();
    } else if (e.key === "ArrowDown" && results.length) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(results.length - 1, a + 1));
    } else if (e.key === "ArrowUp" && results.length) {
      e.preventDefault();
      setActive((a) => Math.max(-1, a - 1));
    } else if (e.key === "Escape") {
      setOpen(false);
    }
  }

  return (
    <div className={`identity-search${large ? " identity-search-large" : ""}`}>
      <div className="identity-search-row">
        <input
          ref={input}
          type="search"
          role="combobox"
          className="scan-input"
          data-testid={testid}
          aria-label={t("trace.search.label")}
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
          placeholder={placeholder ?? t("trace.search.placeholder")}
          title={t("trace.search.placeholder")}
          autoFocus={autoFocus}
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setMessage(null);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="btn btn-primary" data-testid={`${testid}-submit`} disabled={busy || !text.trim()} onClick={() => void submit()}>
          {busy ? t("common.working") : t("trace.search.trace")}
        </button>
      </div>
      {showList && (
        <ul className="identity-suggestions" role="listbox" id={listId} data-testid={`${testid}-suggestions`}>
          {results.map((r, i) => (
            <li
              key={r.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`identity-suggestion${i === active ? " active" : ""}`}
              data-testid="trace-suggestion"
              data-id={r.id}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(r)}
            >
              <IdentityOption identity={r} />
            </li>
          ))}
        </ul>
      )}
      {message && (
        <div className="alert alert-warn identity-search-message" role="status" data-testid={`${testid}-message`}>
          {message}
        </div>
      )}
    </div>
  );
}
