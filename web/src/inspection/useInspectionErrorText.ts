import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api/errors";
import type { FieldError } from "../api/types";
import { useErrorText } from "../lib/errorText";

/**
 * Error texts for the inspection screens: the inspection codes (`inspection.errorCodes.<code>`)
 * first, then the application's general ones.
 */
export function useInspectionErrorText() {
  const { t, i18n } = useTranslation();
  const general = useErrorText();
  const own = useCallback(
    (code: string | null | undefined) => {
      const key = `inspection.errorCodes.${code}`;
      return code && i18n.exists(key) ? t(key) : null;
    },
    [i18n, t],
  );
  const errorText = useCallback(
    (e: unknown) => (isApiError(e) && own(e.code)) || general.errorText(e),
    [general, own],
  );
  const fieldErrorText = useCallback((fe: FieldError) => own(fe.code) ?? general.fieldErrorText(fe), [general, own]);
  return { errorText, fieldErrorText };
}
