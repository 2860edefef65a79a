/** Pure helpers of the entry grid: reading numbers, judging them against the spec, gauge state. */
import type { Gauge } from "../api/types";
import { addDays, today } from "../lib/format";
import type { PlanLine } from "./api";

export type Verdict = "pass" | "fail" | null;

/** A typed number ("25.01", "25,01", " -0.5 "); null when empty, NaN when it is not a number. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim().replace(",", ".");
  if (trimmed === "") return null;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return Number.NaN;
  return Number(trimmed);
}

/** Pass or fail of a variable value against LSL/USL, exactly as the server judges it (limits inclusive). */
export function judge(line: PlanLine, value: number | null): Verdict {
  if (value === null || Number.isNaN(value)) return null;
  const low = line.lsl ?? null;
  const high = line.usl ?? null;
  return (low === null || value >= low) && (high === null || value <= high) ? "pass" : "fail";
}

/** "LSL 24.985 · 25 · USL 25.015" parts, for the column header. */
export function specParts(line: PlanLine): { lsl: string; nominal: string; usl: string } {
  const show = (v: number | null) => (v === null || v === undefined ? "—" : String(v));
  return { lsl: show(line.lsl), nominal: show(line.nominal), usl: show(line.usl) };
}

/** Whether a gauge may be used today: out of calibration (or quarantined, retired), overdue, due soon or fine. */
export type GaugeState = "ok" | "soon" | "overdue" | "blocked";

export function gaugeState(gauge: Pick<Gauge, "status" | "calibration_due_on"> | undefined): GaugeState {
  if (!gauge) return "ok";
  if (gauge.status !== "in_service") return "blocked";
  const due = gauge.calibration_due_on;
  if (!due) return "ok";
  const now = today();
  if (due < now) return "overdue";
  if (due <= addDays(now, 30)) return "soon";
  return "ok";
}
