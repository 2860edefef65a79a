import { useEffect, useState } from "react";
import type { TFunction } from "i18next";

/** The current time, re-read every `ms` milliseconds (for ages that count up on screen). */
export function useNow(ms = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A duration in words: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(seconds: number | null | undefined, t: TFunction): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t("spc.duration.seconds", { n: s });
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return t("spc.duration.minutes", { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t("spc.duration.hours", { h: hours, m: minutes % 60 });
  return t("spc.duration.days", { d: Math.floor(hours / 24), h: hours % 24 });
}

/** A measured value with up to six significant digits. */
export function formatNumber(value: number | null | undefined, locale: string, digits = 6): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value.toLocaleString(locale, { maximumSignificantDigits: digits });
}

/** A capability index or ratio with a fixed number of decimals. */
export function formatIndex(value: number | null | undefined, locale: string, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value.toLocaleString(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A fraction as parts per million. */
export function formatPpm(fraction: number | null | undefined, locale: string): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "—";
  return (fraction * 1e6).toLocaleString(locale, { maximumFractionDigits: fraction * 1e6 < 10 ? 2 : 0 });
}

export type CpkGrade = "danger" | "warn" | "ok" | "none";

/** Cpk < 1.00 is not capable, < 1.33 marginal, else capable. */
export function cpkGrade(cpk: number | null | undefined): CpkGrade {
  if (cpk === null || cpk === undefined || !Number.isFinite(cpk)) return "none";
  if (cpk < 1.0) return "danger";
  return cpk < 1.33 ? "warn" : "ok";
}

/** The rule that fired, in words (falls back to the rule's code). */
export function ruleText(t: TFunction, rule: string): string {
  return t(`spc.rules.${rule}`, { defaultValue: rule });
}

/** ISO timestamp (with zone) from a value of an <input type="datetime-local">, read as local time. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Translation key of a chart type ("xbar.one" holds the key separator). */
export function chartKey(chart: string): string {
  return chart.replace(/\./g, "_");
}
