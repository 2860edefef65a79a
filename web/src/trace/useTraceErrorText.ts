import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api/errors";
import type { FieldError } from "../api/types";
import { useErrorText } from "../lib/errorText";

/** The code the server quoted in its message ("no lot, serial or container 'X' is known" → X). */
function quoted(text: string | null | undefined): string {
  const m = /'([^']+)'/.exec(text ?? "");
  return m ? m[1] : "";
}

/**
 * Error texts of the traceability screens: the trace codes (`trace.errorCodes.<code>`, with the
 * identifier the server named) first, then the application's general ones.
 */
export function useTraceErrorText() {
  const { t, i18n } = useTranslation();
  const general = useErrorText();
  const own = useCallback(
    (code: string | null | undefined, message: string | null | undefined) => {
      const key = `trace.errorCodes.${code}`;
      return code && i18n.exists(key) ? t(key, { code: quoted(message) }) : null;
    },
    [i18n, t],
  );
  const errorText = useCallback(
    (e: unknown) => (isApiError(e) && own(e.code, e.problem.detail)) || general.errorText(e),
    [general, own],
  );
  const fieldErrorText = useCallback((fe: FieldError) => general.fieldErrorText(fe), [general]);
  return { errorText, fieldErrorText };
}
