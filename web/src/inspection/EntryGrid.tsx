import { useCallback, useRef, type FocusEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Gauge, Id } from "../api/types";
import { Badge } from "../components/Badge";
import type { PlanLine } from "./api";
import { FIRST_CHAR_COL, move, type GridShape, type NavKey, type Pos } from "./navigation";
import { gaugeState, specParts } from "./spec";
import type { CellView, Entry } from "./useEntry";
import { useInspectionErrorText } from "./useInspectionErrorText";

const NAV_KEYS = new Set<string>(["Tab", "Enter", "ArrowDown", "ArrowUp"]);

/** The mark shown on a cell: pass or fail, as an icon and a word, never colour alone. */
function VerdictMark({ verdict }: { verdict: CellView["verdict"] }) {
  const { t } = useTranslation();
  if (!verdict) return null;
  return (
    <span className={`verdict verdict-${verdict}`} aria-label={t(`inspection.entry.${verdict}`)} title={t(`inspection.entry.${verdict}`)}>
      {verdict === "pass" ? "✓" : "✗"}
    </span>
  );
}

/** Saved / saving / pending / error, as a small glyph with a text for screen readers and tooltips. */
function SaveMark({ state, testid }: { state: CellView["state"]; testid: string }) {
  const { t } = useTranslation();
  if (state === "empty") return null;
  const glyph = { saved: "●", saving: "◐", pending: "○", error: "!", invalid: "!" }[state];
  return (
    <span className={`save-mark save-${state}`} data-testid={testid} title={t(`inspection.save.${state}`)}>
      <span aria-hidden>{glyph}</span>
      <span className="insp-sr-only">{t(`inspection.save.${state}`)}</span>
    </span>
  );
}

function GaugeBadge({ gauge, testid }: { gauge: Gauge | undefined; testid: string }) {
  const { t } = useTranslation();
  const state = gaugeState(gauge);
  if (!gauge || state === "ok") return null;
  const label =
    state === "blocked"
      ? t(`enums.gaugeStatus.${gauge.status}`, { defaultValue: gauge.status })
      : state === "overdue"
        ? t("inspection.gauge.overdue", { date: gauge.calibration_due_on })
        : t("inspection.gauge.dueSoon", { date: gauge.calibration_due_on });
  return (
    <span className={`badge ${state === "soon" ? "badge-warn" : "badge-danger"} gauge-badge`} data-testid={testid} role="status">
      ⚠ {label}
    </span>
  );
}

function ColumnHead({
  line,
  gauges,
  gaugeId,
  onGauge,
  readOnly,
}: {
  line: PlanLine;
  gauges: Gauge[];
  gaugeId: Id | null;
  onGauge: (id: Id | null) => void;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const spec = specParts(line);
  const gauge = gauges.find((g) => g.id === gaugeId);
  // Gauges of the plan's type first, then the others.
  const sorted = [...gauges].sort(
    (a, b) => Number(b.gauge_type === line.gauge_type) - Number(a.gauge_type === line.gauge_type) || a.code.localeCompare(b.code),
  );
  const known = gaugeId === null || gauges.some((g) => g.id === gaugeId);
  return (
    <th
      scope="col"
      className="char-head"
      data-testid={`head-${line.code}`}
      data-kind={line.kind}
      data-lsl={line.lsl ?? ""}
      data-usl={line.usl ?? ""}
    >
      <div className="char-head-code">
        <span className="mono">{line.code}</span>
        {line.special_class && line.special_class !== "none" && <Badge value={line.special_class} enumKey="specialClass" />}
      </div>
      <div className="char-head-name">{line.name}</div>
      <div className="char-head-spec small" data-testid={`spec-${line.code}`}>
        {line.kind === "variable" ? (
          <>
            <span title={t("fields.lsl")}>{spec.lsl}</span> / <strong title={t("fields.nominal")}>{spec.nominal}</strong> /{" "}
            <span title={t("fields.usl")}>{spec.usl}</span> {line.unit ?? ""}
          </>
        ) : (
          <span>{t("inspection.entry.attributeHint")}</span>
        )}
      </div>
      {readOnly ? (
        <div className="small muted">{gauge ? gauge.code : line.gauge_type ?? ""}</div>
      ) : (
        <select
          className="gauge-select"
          data-testid={`gauge-${line.code}`}
          aria-label={t("inspection.entry.gaugeFor", { code: line.code })}
          value={gaugeId === null ? "" : String(gaugeId)}
          onChange={(e) => onGauge(e.target.value === "" ? null : Number(e.target.value))}
        >
          <option value="">{line.gauge_type ? t("inspection.entry.noGaugeType", { type: line.gauge_type }) : t("common.none")}</option>
          {!known && <option value={String(gaugeId)}>#{gaugeId}</option>}
          {sorted.map((g) => (
            <option key={g.id} value={String(g.id)}>
              {gaugeState(g) === "ok" ? "" : "⚠ "}
              {g.code} · {g.name}
            </option>
          ))}
        </select>
      )}
      <GaugeBadge gauge={gauge} testid={`gauge-warning-${line.code}`} />
    </th>
  );
}

/**
 * One row per sample, one column per characteristic of the plan, plus the unit's serial and the
 * quantity it stands for. Typing judges a value at once; the entry hook saves it.
 */
export function EntryGrid({
  plan,
  rows,
  entry,
  gauges,
  readOnly,
}: {
  plan: PlanLine[];
  rows: number;
  entry: Entry;
  gauges: Gauge[];
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const { fieldErrorText, errorText } = useInspectionErrorText();
  const cells = useRef(new Map<string, HTMLElement>());
  const lastRow = useRef<number | null>(null);
  const samples = Array.from({ length: rows }, (_, i) => i + 1);

  const shape: GridShape = {
    rows,
    cols: FIRST_CHAR_COL + plan.length,
    exists: ({ row, col }) =>
      row >= 1 && row <= rows && (col < FIRST_CHAR_COL || (col < FIRST_CHAR_COL + plan.length && row <= plan[col - FIRST_CHAR_COL].sample_size)),
  };

  const register = useCallback(
    (row: number, col: number) => (el: HTMLElement | null) => {
      if (el) cells.current.set(`${row}:${col}`, el);
      else cells.current.delete(`${row}:${col}`);
    },
    [],
  );

  const focusCell = (pos: Pos) => {
    const el = cells.current.get(`${pos.row}:${pos.col}`);
    if (!el) return;
    el.focus();
    if (el instanceof HTMLInputElement) el.select();
  };

  /** Tab, Enter and the vertical arrows move between cells; see navigation.ts. */
  const onNav = (e: KeyboardEvent<HTMLElement>, pos: Pos) => {
    if (!NAV_KEYS.has(e.key) || e.nativeEvent.isComposing || e.altKey || e.ctrlKey || e.metaKey) return false;
    const target = move(shape, pos, e.key as NavKey, e.shiftKey);
    if (target) {
      e.preventDefault();
      focusCell(target);
      return true;
    }
    if (e.key === "Enter") {
      // The last cell: nothing further down, so send what is pending.
      e.preventDefault();
      void entry.flush();
      return true;
    }
    return false;
  };

  // Leaving a row sends its results; so does leaving the grid.
  const onFocusCell = (row: number) => {
    if (lastRow.current !== null && lastRow.current !== row) void entry.flush();
    lastRow.current = row;
  };
  const onBlurGrid = (e: FocusEvent<HTMLDivElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) {
      lastRow.current = null;
      void entry.flush();
    }
  };

  const attributeKeys = (e: KeyboardEvent<HTMLButtonElement>, line: PlanLine, sample: number, view: CellView) => {
    const id = line.characteristic_id;
    const key = e.key.toLowerCase();
    if (key === "p" || key === "1") entry.setMark(id, sample, "p");
    else if (key === "f" || key === "0") entry.setMark(id, sample, "f");
    else if (key === "backspace" || key === "delete") entry.setMark(id, sample, "");
    else if ((key === "+" || key === "=") && view.text === "f") entry.setDefects(id, sample, view.defects + 1);
    else if (key === "-" && view.text === "f") entry.setDefects(id, sample, view.defects - 1);
    else return;
    e.preventDefault();
  };

  const cellMessage = (view: CellView) => {
    if (view.state === "error" && view.error) {
      return view.error.field ? fieldErrorText(view.error.field) : errorText(view.error.cause);
    }
    if (view.state === "invalid") return t("inspection.entry.notANumber");
    return null;
  };

  const renderCell = (line: PlanLine, sample: number, col: number) => {
    const testid = `cell-${sample}-${line.code}`;
    if (sample > line.sample_size) {
      return (
        <td key={line.characteristic_id} className="entry-cell entry-cell-none" aria-hidden>
          —
        </td>
      );
    }
    const view = entry.view(line.characteristic_id, sample);
    const message = cellMessage(view);
    const classes = ["entry-cell", view.verdict ? `cell-${view.verdict}` : "", message ? "cell-problem" : ""].join(" ");
    const label = t("inspection.entry.cellLabel", { code: line.code, sample });
    const common = {
      "data-testid": testid,
      "data-verdict": view.verdict ?? "",
      "data-state": view.state,
      "aria-label": label,
      "aria-invalid": message ? true : undefined,
    };
    let control;
    if (readOnly) {
      control = (
        <span className="cell-value" {...common}>
          {line.kind === "variable" ? view.text || "—" : view.text ? t(`inspection.entry.${view.verdict}`) : "—"}
          {line.kind === "attribute" && view.text === "f" && view.defects > 0 && (
            <span className="defects"> · {t("inspection.entry.defectsN", { count: view.defects })}</span>
          )}
        </span>
      );
    } else if (line.kind === "variable") {
      control = (
        <input
          {...common}
          ref={register(sample, col)}
          className="cell-input"
          type="text"
          inputMode="decimal"
          enterKeyHint="next"
          autoComplete="off"
          spellCheck={false}
          value={view.text}
          onFocus={(e) => {
            onFocusCell(sample);
            e.currentTarget.select();
          }}
          onChange={(e) => entry.setText(line.characteristic_id, sample, e.target.value)}
          onKeyDown={(e) => onNav(e, { row: sample, col })}
        />
      );
    } else {
      control = (
        <div className="attr-cell">
          <button
            {...common}
            ref={register(sample, col)}
            type="button"
            className="cell-toggle"
            aria-pressed={view.text === "" ? undefined : view.text === "p"}
            onFocus={() => onFocusCell(sample)}
            onClick={() => entry.setMark(line.characteristic_id, sample, view.text === "p" ? "f" : "p")}
            onKeyDown={(e) => {
              if (!onNav(e, { row: sample, col })) attributeKeys(e, line, sample, view);
            }}
          >
            {view.text === "" ? <span className="muted">{t("inspection.entry.passFailHint")}</span> : t(`inspection.entry.${view.verdict}`)}
          </button>
          {view.text === "f" && (
            <span className="defects-stepper" data-testid={`defects-${sample}-${line.code}`}>
              <button
                type="button"
                className="btn btn-small"
                tabIndex={-1}
                aria-label={t("inspection.entry.fewerDefects")}
                onClick={() => entry.setDefects(line.characteristic_id, sample, view.defects - 1)}
              >
                −
              </button>
              <span className="defects-count" title={t("inspection.entry.defects")}>
                {t("inspection.entry.defectsN", { count: view.defects })}
              </span>
              <button
                type="button"
                className="btn btn-small"
                tabIndex={-1}
                aria-label={t("inspection.entry.moreDefects")}
                onClick={() => entry.setDefects(line.characteristic_id, sample, view.defects + 1)}
              >
                +
              </button>
            </span>
          )}
        </div>
      );
    }
    return (
      <td key={line.characteristic_id} className={classes}>
        <div className="cell-box">
          {control}
          <VerdictMark verdict={view.verdict} />
          {!readOnly && <SaveMark state={view.state} testid={`save-${sample}-${line.code}`} />}
        </div>
        {view.warning && (
          <div className="cell-warning" role="status" title={view.warning}>
            ⚠ {t("inspection.entry.gaugeWarningShort")}
          </div>
        )}
        {message && (
          <div className="cell-error" role="alert" data-testid={`error-${sample}-${line.code}`}>
            {message}
          </div>
        )}
      </td>
    );
  };

  return (
    <div className="entry-scroll" data-testid="entry-grid" onBlur={onBlurGrid}>
      <table className="entry-table">
        <thead>
          <tr>
            <th scope="col" className="sample-head">
              {t("inspection.entry.sample")}
            </th>
            <th scope="col" className="unit-head">
              {t("inspection.entry.unit")}
            </th>
            <th scope="col" className="qty-head">
              {t("inspection.entry.quantity")}
            </th>
            {plan.map((line) => (
              <ColumnHead
                key={line.characteristic_id}
                line={line}
                gauges={gauges}
                gaugeId={entry.gauge(line.characteristic_id)}
                onGauge={(id) => entry.setGauge(line.characteristic_id, id)}
                readOnly={readOnly}
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {samples.map((sample) => {
            const row = entry.row(sample);
            return (
              <tr key={sample} data-testid={`sample-row-${sample}`}>
                <th scope="row" className="sample-cell">
                  {sample}
                </th>
                <td className="unit-cell">
                  {readOnly ? (
                    <span data-testid={`unit-${sample}`}>{row.unit || "—"}</span>
                  ) : (
                    <input
                      ref={register(sample, 0)}
                      data-testid={`unit-${sample}`}
                      className="cell-input unit-input"
                      type="text"
                      autoComplete="off"
                      spellCheck={false}
                      enterKeyHint="next"
                      placeholder={t("inspection.entry.scanSerial")}
                      aria-label={t("inspection.entry.unitLabel", { sample })}
                      value={row.unit}
                      onFocus={(e) => {
                        onFocusCell(sample);
                        e.currentTarget.select();
                      }}
                      onChange={(e) => entry.setRow(sample, { unit: e.target.value })}
                      onKeyDown={(e) => onNav(e, { row: sample, col: 0 })}
                    />
                  )}
                </td>
                <td className={`qty-cell${entry.rowQuantityValid(sample) ? "" : " cell-problem"}`}>
                  {readOnly ? (
                    <span data-testid={`qty-${sample}`}>{row.quantity}</span>
                  ) : (
                    <input
                      ref={register(sample, 1)}
                      data-testid={`qty-${sample}`}
                      className="cell-input qty-input"
                      type="text"
                      inputMode="numeric"
                      autoComplete="off"
                      enterKeyHint="next"
                      aria-label={t("inspection.entry.quantityLabel", { sample })}
                      aria-invalid={entry.rowQuantityValid(sample) ? undefined : true}
                      value={row.quantity}
                      onFocus={(e) => {
                        onFocusCell(sample);
                        e.currentTarget.select();
                      }}
                      onChange={(e) => entry.setRow(sample, { quantity: e.target.value })}
                      onKeyDown={(e) => onNav(e, { row: sample, col: 1 })}
                    />
                  )}
                  {!entry.rowQuantityValid(sample) && <div className="cell-error">{t("inspection.entry.badQuantity")}</div>}
                </td>
                {plan.map((line, i) => renderCell(line, sample, FIRST_CHAR_COL + i))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
