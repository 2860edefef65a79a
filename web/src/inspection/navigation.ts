/**
 * Keyboard movement in the entry grid. Columns: 0 = unit/serial, 1 = quantity, 2.. = the
 * characteristics of the plan; rows are the samples 1..n. A characteristic may sample fewer
 * units than the grid has rows; `exists` tells which cells are there.
 *
 * - Tab / Shift+Tab: row by row through every cell (serial, quantity, then each characteristic);
 *   past either end the browser's own focus order takes over.
 * - Enter / Shift+Enter in a characteristic: the next / previous sample of the same
 *   characteristic, wrapping to the first sample of the next characteristic (or the last of the
 *   previous one).
 * - Enter in the serial or quantity column (what a scanner sends after the code): the first
 *   characteristic of the same sample; Shift+Enter there: the same column one sample up.
 * - ArrowDown / ArrowUp: the same column one sample down / up.
 */
export interface Pos {
  row: number;
  col: number;
}

export const FIRST_CHAR_COL = 2;

export interface GridShape {
  rows: number;
  cols: number;
  exists: (pos: Pos) => boolean;
}

export type NavKey = "Tab" | "Enter" | "ArrowDown" | "ArrowUp";

function rowMajor(shape: GridShape, from: Pos, step: 1 | -1): Pos | null {
  let { row, col } = from;
  for (;;) {
    col += step;
    if (col >= shape.cols) {
      col = 0;
      row += 1;
    } else if (col < 0) {
      col = shape.cols - 1;
      row -= 1;
    }
    if (row < 1 || row > shape.rows) return null;
    if (shape.exists({ row, col })) return { row, col };
  }
}

function columnMajor(shape: GridShape, from: Pos, step: 1 | -1): Pos | null {
  let { row, col } = from;
  for (;;) {
    row += step;
    if (row > shape.rows) {
      row = 1;
      col += 1;
    } else if (row < 1) {
      row = shape.rows;
      col -= 1;
    }
    if (col < FIRST_CHAR_COL || col >= shape.cols) return null;
    if (shape.exists({ row, col })) return { row, col };
  }
}

function vertical(shape: GridShape, from: Pos, step: 1 | -1): Pos | null {
  for (let row = from.row + step; row >= 1 && row <= shape.rows; row += step) {
    if (shape.exists({ row, col: from.col })) return { row, col: from.col };
  }
  return null;
}

/** Where a key moves the focus from `from`; null when there is no cell that way. */
export function move(shape: GridShape, from: Pos, key: NavKey, shift: boolean): Pos | null {
  const step = shift ? -1 : 1;
  switch (key) {
    case "Tab":
      return rowMajor(shape, from, step);
    case "Enter":
      if (from.col < FIRST_CHAR_COL) {
        if (shift) return vertical(shape, from, -1);
        for (let col = FIRST_CHAR_COL; col < shape.cols; col++) {
          if (shape.exists({ row: from.row, col })) return { row: from.row, col };
        }
        return null;
      }
      return columnMajor(shape, from, step);
    case "ArrowDown":
      return vertical(shape, from, 1);
    case "ArrowUp":
      return vertical(shape, from, -1);
  }
}
