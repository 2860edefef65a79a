import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import zhCN from "./zh-CN.json";
import { setApiLocale } from "../api/client";

// Both resource files must have exactly the same keys: each must be assignable to the other.
type Resource = typeof en;
const zhChecked: Resource = zhCN;
const enChecked: typeof zhCN = en;

export const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "zh-CN", label: "简体中文" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

const STORAGE_KEY = "qualitas.lang";

export function storedLanguage(): Language | null {
  const value = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.some((l) => l.code === value) ? (value as Language) : null;
}

function initialLanguage(): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  return navigator.language?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/** Switches the UI language, remembers it, and sends it to the server from now on. */
export function setLanguage(lang: Language, remember = true): void {
  if (remember) localStorage.setItem(STORAGE_KEY, lang);
  setApiLocale(lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

const lang = initialLanguage();
setApiLocale(lang);
document.documentElement.lang = lang;

void i18n.use(initReactI18next).init({
  resources: { en: { translation: enChecked }, "zh-CN": { translation: zhChecked } },
  lng: lang,
  fallbackLng: "en",
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
