/** Numbers, quantities and durations of the traceability screens, formatted for the UI language. */

export function formatCount(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value.toLocaleString(locale, { maximumFractionDigits: 0 });
}

export function formatQuantity(value: number | null | undefined, uom: string | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const text = value.toLocaleString(locale, { maximumFractionDigits: 3 });
  return uom ? `${text} ${uom}` : text;
}

/** Milliseconds as "85 ms", "1.2 s" or "2 min 5 s". */
export function formatMs(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${ms.toLocaleString(locale, { maximumFractionDigits: ms < 10 ? 1 : 0 })} ms`;
  if (ms < 60_000) return `${(ms / 1000).toLocaleString(locale, { maximumFractionDigits: 1 })} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** An ISO timestamp from a value of an <input type="datetime-local"> (local time), or null. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The value for an <input type="datetime-local"> showing an ISO timestamp in local time. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A shortened event hash id for display: `ni:///sha-256;1a2b3c…9f8e?ver=CBV2.0` → `1a2b3c…9f8e`. */
export function shortEventId(id: string): string {
  const m = /;([0-9a-f]{16,})/i.exec(id);
  const hex = m ? m[1] : id;
  return hex.length > 16 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex;
}
