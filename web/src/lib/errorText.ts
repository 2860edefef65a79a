import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api/errors";
import type { FieldError } from "../api/types";

/** Turns any thrown value into a message: a translation by `code` when there is one, else the server's text. */
export function useErrorText() {
  const { t, i18n } = useTranslation();
  const byCode = useCallback(
    (code: string | null | undefined) =>
      code && i18n.exists(`errorCodes.${code}`) ? t(`errorCodes.${code}`) : null,
    [t, i18n],
  );

  const errorText = useCallback(
    (e: unknown): string => {
      if (isApiError(e)) {
        const translated = byCode(e.code);
        if (translated) return translated;
        if (e.status === 403) return t("errors.forbidden");
        if (e.status === 409) return t("errors.conflict");
        if (e.status === 404) return t("errors.notFound");
        if (e.status >= 500) return t("errors.server");
        return e.problem.detail || e.problem.title || e.message;
      }
      if (e instanceof TypeError) return t("errors.network");
      return e instanceof Error ? e.message : String(e);
    },
    [byCode, t],
  );

  // A field-specific text (`fieldErrors.<field>.<code>`) wins over the generic one for the code.
  const fieldErrorText = useCallback(
    (fe: FieldError) => {
      const key = `fieldErrors.${fe.field.split(".").pop()}.${fe.code}`;
      return i18n.exists(key) ? t(key) : (byCode(fe.code) ?? fe.message);
    },
    [byCode, i18n, t],
  );

  return { errorText, fieldErrorText };
}
