/**
 * The state of the entry grid and its autosave.
 *
 * Every cell keeps what was typed and the signature (the JSON of the result it stands for) of
 * what the server last confirmed. A cell whose current signature differs is pending; pending
 * cells are sent in one PUT a short while after the last keystroke, at once when the focus
 * leaves a row, and before a decision. One request is in flight at a time. The server's field
 * errors (`results.<i>.<field>`) and gauge warnings (`row`: the index in the batch) are mapped
 * back onto the cells of the batch; the other cells of a rejected batch are sent again without
 * the bad ones.
 * Emptying a saved cell sends `clear: true` for it: the server clears the saved result (audited).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { isApiError } from "../api/errors";
import type { Id } from "../api/types";
import { inspectionApi, type LotResults, type PlanLine, type ResultIn, type ResultRead } from "./api";
import { judge, parseNumber, type Verdict } from "./spec";
import {
  type AttributeMark,
  type CellState,
  type CellData,
  type RowData,
  type CellView,
  type CellWarning,
  type Store,
  DEBOUNCE_MS,
  RETRY_MS,
  cellKey,
  quantityOf,
  toResult,
  signature,
  clearing,
  initialStore,
  blankCell,
} from "./entryCells";

export type { AttributeMark, CellState, CellView, CellWarning, RowData };

export function useEntry({
  lotId,
  plan,
  results,
  rowCount,
  onSaved,
  onClosed,
}: {
  lotId: Id;
  plan: PlanLine[];
  results: ResultRead[];
  rowCount: number;
  onSaved: (saved: LotResults) => void;
  /** The server refused because the lot is decided meanwhile. */
  onClosed: () => void;
}) {
  const [, setTick] = useState(0);
  const rerender = useCallback(() => setTick((n) => n + 1), []);
  const storeRef = useRef<Store | null>(null);
  if (storeRef.current === null) storeRef.current = initialStore(plan, results, rowCount);
  const store = storeRef.current;
  const lines = useMemo(() => new Map(plan.map((l) => [l.characteristic_id, l])), [plan]);
  const callbacks = useRef({ onSaved, onClosed });
  useEffect(() => {
    callbacks.current = { onSaved, onClosed };
  }, [onSaved, onClosed]);

  const cellData = useCallback(
    (characteristicId: Id, sample: number): CellData =>
      store.cells.get(cellKey(characteristicId, sample)) ?? blankCell(store.gauges.get(characteristicId) ?? null),
    [store],
  );

  const evaluate = useCallback(
    (characteristicId: Id, sample: number): { cell: CellData; result: ResultIn | "empty" | "invalid"; sig: string | null } => {
      const cell = cellData(characteristicId, sample);
      const line = lines.get(characteristicId)!;
      let result = toResult(line, sample, cell, store.rows[sample - 1]);
      // An emptied cell whose value the server holds: clear it there.
      if (result === "empty" && cell.savedSig) result = clearing(characteristicId, sample);
      return { cell, result, sig: typeof result === "object" ? signature(result) : null };
    },
    [cellData, lines, store],
  );

  const stateOf = useCallback(
    (characteristicId: Id, sample: number): CellState => {
      const { cell, result, sig } = evaluate(characteristicId, sample);
      if (result === "empty") return "empty";
      if (result === "invalid" || sig === null) return "invalid";
      if (sig === cell.savedSig) return "saved";
      if (sig === cell.sendingSig) return "saving";
      if (cell.error && cell.error.sig === sig) return "error";
      return "pending";
    },
    [evaluate],
  );

  /** Cells to send now: pending ones and failed ones worth another try. */
  const sendable = useCallback((): { key: string; result: ResultIn; sig: string }[] => {
    const out: { key: string; result: ResultIn; sig: string }[] = [];
    for (const line of plan) {
      for (let sample = 1; sample <= Math.min(line.sample_size, rowCount); sample++) {
        const { cell, result, sig } = evaluate(line.characteristic_id, sample);
        if (typeof result !== "object" || sig === null) continue;
        if (sig === cell.savedSig || sig === cell.sendingSig) continue;
        if (cell.error && cell.error.sig === sig && !cell.error.retry) continue;
        out.push({ key: cellKey(line.characteristic_id, sample), result, sig });
      }
    }
    return out;
  }, [evaluate, plan, rowCount]);

  const flush = useCallback((): Promise<void> => {
    if (store.timer) {
      clearTimeout(store.timer);
      store.timer = null;
    }
    if (store.inflight) return store.inflight;
    const batch = sendable();
    if (batch.length === 0) return Promise.resolve();
    const touch = (key: string) => {
      let cell = store.cells.get(key);
      if (!cell) {
        const [characteristicId] = key.split(":").map(Number);
        cell = blankCell(store.gauges.get(characteristicId) ?? null);
        store.cells.set(key, cell);
      }
      return cell;
    };
    for (const b of batch) touch(b.key).sendingSig = b.sig;
    rerender();
    let again = false;
    const run = async () => {
      try {
        const saved = await inspectionApi.putResults(
          lotId,
          batch.map((b) => b.result),
        );
        const warned = new Map<number, string>(saved.warnings.map((w) => [w.row, w.message]));
        batch.forEach((b, i) => {
          const cell = touch(b.key);
          // A cleared cell holds nothing on the server any more.
          cell.savedSig = b.result.clear ? null : b.sig;
          cell.sendingSig = null;
          cell.error = null;
          cell.warning = warned.get(i) ?? null;
        });
        callbacks.current.onSaved(saved);
        again = true;
      } catch (e) {
        const failed = new Set<number>();
        if (isApiError(e) && e.status === 422) {
          for (const fe of e.fieldErrors) {
            const m = /^results\.(\d+)\.(.+)$/.exec(fe.field);
            if (!m || Number(m[1]) >= batch.length) continue;
            const i = Number(m[1]);
            failed.add(i);
            touch(batch[i].key).error = { sig: batch[i].sig, field: { ...fe, field: m[2] }, retry: false };
          }
        }
        const closed = isApiError(e) && e.status === 409;
        const retry = !isApiError(e) || e.status >= 500 || e.status === 429;
        batch.forEach((b, i) => {
          const cell = touch(b.key);
          cell.sendingSig = null;
          if (failed.has(i)) return;
          // When the server named the bad rows, the others go again at once; else all of them fail.
          if (failed.size === 0) cell.error = { sig: b.sig, cause: e, retry };
        });
        again = failed.size > 0 && failed.size < batch.length;
        if (retry && !store.timer) store.timer = setTimeout(() => void flush(), RETRY_MS);
        if (closed) callbacks.current.onClosed();
      } finally {
        store.inflight = null;
        rerender();
      }
      // Values typed while the request was out go now; failed ones wait for their retry.
      const sent = new Set(batch.map((b) => `${b.key}|${b.sig}`));
      const next = sendable().filter((s) => again || !sent.has(`${s.key}|${s.sig}`));
      if (next.length > 0) await flush();
    };
    store.inflight = run();
    return store.inflight;
  }, [lotId, rerender, sendable, store]);

  const schedule = useCallback(() => {
    if (store.timer) clearTimeout(store.timer);
    store.timer = setTimeout(() => void flush(), DEBOUNCE_MS);
  }, [flush, store]);

  /** Cells whose value the server does not hold: pending, failed, not a number, emptied. */
  const unsaved = useCallback((): number => {
    let n = 0;
    for (const line of plan) {
      for (let sample = 1; sample <= Math.min(line.sample_size, rowCount); sample++) {
        const state = stateOf(line.characteristic_id, sample);
        if (state !== "empty" && state !== "saved") n++;
      }
    }
    return n;
  }, [plan, rowCount, stateOf]);

  /** Sends everything pending and waits; true when every typed value is saved. */
  const flushAll = useCallback(async (): Promise<boolean> => {
    for (let i = 0; i < 10; i++) {
      await flush();
      if (!store.inflight && sendable().length === 0) break;
    }
    return unsaved() === 0;
  }, [flush, sendable, store, unsaved]);

  // Whatever is pending when the grid goes away is still sent.
  useEffect(() => () => void flush(), [flush]);

  const edit = useCallback(
    (characteristicId: Id, sample: number, change: (cell: CellData) => void) => {
      const key = cellKey(characteristicId, sample);
      const cell = store.cells.get(key) ?? blankCell(null);
      change(cell);
      cell.gaugeId = store.gauges.get(characteristicId) ?? null;
      store.cells.set(key, cell);
      rerender();
      schedule();
    },
    [rerender, schedule, store],
  );

  const setText = useCallback(
    (characteristicId: Id, sample: number, text: string) =>
      edit(characteristicId, sample, (cell) => {
        cell.text = text;
      }),
    [edit],
  );

  const setMark = useCallback(
    (characteristicId: Id, sample: number, mark: AttributeMark) =>
      edit(characteristicId, sample, (cell) => {
        cell.text = mark;
        if (mark === "f" && cell.defects === 0) cell.defects = 1;
        if (mark !== "f") cell.defects = 0;
      }),
    [edit],
  );

  const setDefects = useCallback(
    (characteristicId: Id, sample: number, defects: number) =>
      edit(characteristicId, sample, (cell) => {
        cell.defects = Math.max(0, Math.min(100_000, Math.round(defects)));
        if (cell.defects > 0) cell.text = "f";
      }),
    [edit],
  );

  const setRow = useCallback(
    (sample: number, patch: Partial<RowData>) => {
      Object.assign(store.rows[sample - 1], patch);
      rerender();
      schedule();
    },
    [rerender, schedule, store],
  );

  const setGauge = useCallback(
    (characteristicId: Id, gaugeId: Id | null) => {
      store.gauges.set(characteristicId, gaugeId);
      rerender();
    },
    [rerender, store],
  );

  const view = (characteristicId: Id, sample: number): CellView => {
    const cell = cellData(characteristicId, sample);
    const line = lines.get(characteristicId)!;
    const verdict: Verdict =
      line.kind === "variable" ? judge(line, parseNumber(cell.text)) : cell.text === "p" ? "pass" : cell.text === "f" ? "fail" : null;
    const state = stateOf(characteristicId, sample);
    return {
      text: cell.text,
      defects: cell.defects,
      state,
      verdict,
      error: state === "error" ? cell.error : null,
      warning: cell.warning,
    };
  };

  const counts = { pending: 0, saving: 0, error: 0, retryable: 0, invalid: 0 };
  const warnings: CellWarning[] = [];
  for (const line of plan) {
    for (let sample = 1; sample <= Math.min(line.sample_size, rowCount); sample++) {
      const state = stateOf(line.characteristic_id, sample);
      if (state === "pending") counts.pending++;
      else if (state === "saving") counts.saving++;
      else if (state === "error") {
        counts.error++;
        if (store.cells.get(cellKey(line.characteristic_id, sample))?.error?.retry) counts.retryable++;
      }
      else if (state === "invalid") counts.invalid++;
      const cell = store.cells.get(cellKey(line.characteristic_id, sample));
      if (cell?.warning) {
        warnings.push({ characteristicId: line.characteristic_id, sample, gaugeId: cell.gaugeId, text: cell.warning });
      }
    }
  }

  return {
    view,
    row: (sample: number) => store.rows[sample - 1],
    rowQuantityValid: (sample: number) => quantityOf(store.rows[sample - 1]) !== null,
    gauge: (characteristicId: Id) => store.gauges.get(characteristicId) ?? null,
    setText,
    setMark,
    setDefects,
    setRow,
    setGauge,
    flush,
    flushAll,
    counts,
    warnings,
  };
}

export type Entry = ReturnType<typeof useEntry>;
