/**
 * The cells of the entry grid: their state, how typed text becomes a result for the server,
 * and the store the grid starts from (the plan and the results already saved). Pure: the hook
 * in useEntry.ts keeps the state and talks to the server.
 */
import type { FieldError, Id } from "../api/types";
import type { PlanLine, ResultIn, ResultRead } from "./api";
import { parseNumber, type Verdict } from "./spec";
export type AttributeMark = "" | "p" | "f";

export type CellState = "empty" | "invalid" | "pending" | "saving" | "saved" | "error";

export interface CellError {
  sig: string;
  field?: FieldError;
  cause?: unknown;
  /** Network and server failures are tried again; validation errors wait for a new value. */
  retry: boolean;
}

export interface CellData {
  /** Variable: the typed text. Attribute: "" | "p" | "f". */
  text: string;
  defects: number;
  /** The gauge in use when the value was entered. */
  gaugeId: Id | null;
  savedSig: string | null;
  sendingSig: string | null;
  error: CellError | null;
  warning: string | null;
}

export interface RowData {
  unit: string;
  quantity: string;
}

export interface CellView {
  text: string;
  defects: number;
  state: CellState;
  verdict: Verdict;
  error: CellError | null;
  warning: string | null;
}

export interface CellWarning {
  characteristicId: Id;
  sample: number;
  /** The gauge the value was saved with. */
  gaugeId: Id | null;
  /** The server's wording (English). */
  text: string;
}

export const DEBOUNCE_MS = 700;
export const RETRY_MS = 5000;

export const cellKey = (characteristicId: Id, sample: number) => `${characteristicId}:${sample}`;

export function quantityOf(row: RowData): number | null {
  const text = row.quantity.trim();
  if (text === "") return 1;
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 1_000_000 ? n : null;
}

/** The result a cell stands for, or why it cannot be sent. */
export function toResult(line: PlanLine, sample: number, cell: CellData, row: RowData): ResultIn | "empty" | "invalid" {
  const quantity = quantityOf(row);
  const base = {
    characteristic_id: line.characteristic_id,
    sample_index: sample,
    quantity: quantity ?? 1,
    unit: row.unit.trim() || null,
    gauge_id: cell.gaugeId,
  };
  if (line.kind === "variable") {
    const value = parseNumber(cell.text);
    if (value === null) return "empty";
    if (Number.isNaN(value) || quantity === null) return "invalid";
    return { ...base, value };
  }
  if (cell.text === "") return "empty";
  if (quantity === null) return "invalid";
  const passed = cell.text === "p";
  return { ...base, passed, defects: passed ? 0 : cell.defects };
}

export const signature = (result: ResultIn) => JSON.stringify(result);

/** What clears the saved result of an emptied cell. */
export const clearing = (characteristicId: Id, sample: number): ResultIn => ({
  characteristic_id: characteristicId,
  sample_index: sample,
  clear: true,
});

export function fromServer(line: PlanLine, r: ResultRead): Pick<CellData, "text" | "defects" | "gaugeId"> {
  if (line.kind === "variable") return { text: r.value === null ? "" : String(r.value), defects: 0, gaugeId: r.gauge_id };
  return { text: r.passed ? "p" : "f", defects: r.defects, gaugeId: r.gauge_id };
}

export interface Store {
  cells: Map<string, CellData>;
  rows: RowData[];
  /** Per characteristic: the gauge used for values entered from now on. */
  gauges: Map<Id, Id | null>;
  inflight: Promise<void> | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export function initialStore(plan: PlanLine[], results: ResultRead[], rowCount: number): Store {
  const lines = new Map(plan.map((l) => [l.characteristic_id, l]));
  const rows: RowData[] = Array.from({ length: rowCount }, () => ({ unit: "", quantity: "1" }));
  const gauges = new Map<Id, Id | null>(plan.map((l) => [l.characteristic_id, l.gauge_id ?? null]));
  const cells = new Map<string, CellData>();
  const latest = new Map<Id, string>();
  for (const r of results) {
    const line = lines.get(r.characteristic_id);
    if (!line || r.sample_index > rowCount) continue;
    const row = rows[r.sample_index - 1];
    if (r.unit && !row.unit) row.unit = r.unit;
    if (r.quantity !== 1 && row.quantity === "1") row.quantity = String(r.quantity);
    // The gauge most recently used for a characteristic stays selected.
    if ((latest.get(r.characteristic_id) ?? "") < r.recorded_at) {
      latest.set(r.characteristic_id, r.recorded_at);
      gauges.set(r.characteristic_id, r.gauge_id ?? line.gauge_id ?? null);
    }
  }
  for (const r of results) {
    const line = lines.get(r.characteristic_id);
    if (!line || r.sample_index > rowCount) continue;
    const cell: CellData = {
      ...fromServer(line, r),
      savedSig: null,
      sendingSig: null,
      error: null,
      warning: null,
    };
    // What the server holds, in the form this grid would send it.
    const saved: ResultIn =
      line.kind === "variable"
        ? { characteristic_id: r.characteristic_id, sample_index: r.sample_index, quantity: r.quantity, unit: r.unit, gauge_id: r.gauge_id, value: r.value }
        : { characteristic_id: r.characteristic_id, sample_index: r.sample_index, quantity: r.quantity, unit: r.unit, gauge_id: r.gauge_id, passed: r.passed, defects: r.passed ? 0 : r.defects };
    cell.savedSig = signature(saved);
    cells.set(cellKey(r.characteristic_id, r.sample_index), cell);
  }
  return { cells, rows, gauges, inflight: null, timer: null };
}

export const blankCell = (gaugeId: Id | null): CellData => ({
  text: "",
  defects: 0,
  gaugeId,
  savedSig: null,
  sendingSig: null,
  error: null,
  warning: null,
});
