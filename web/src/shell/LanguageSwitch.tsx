import { useTranslation } from "react-i18next";
import { LANGUAGES, setLanguage, type Language } from "../i18n";
import { api } from "../api/client";

/** Switch the UI language and keep it as the signed-in user's preference on the server. */
function choose(lang: Language): void {
  setLanguage(lang);
  void api.PATCH("/api/auth/me", { body: { locale: lang } });
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <select
      className="lang-switch"
      data-testid="lang-switch"
      aria-label={t("shell.language")}
      value={i18n.language}
      onChange={(e) => choose(e.target.value as Language)}
    >
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
