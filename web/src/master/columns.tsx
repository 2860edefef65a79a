import type { ColDef, ICellRendererParams } from "ag-grid-community";
import type { TFunction } from "i18next";
import type { PlantRecord } from "../api/types";
import { Badge } from "../components/Badge";
import { addDays, formatDateTime, today } from "../lib/format";
import type { ColumnDef } from "./resources";

type Row = PlantRecord;

function SpecialClassCell({ value }: ICellRendererParams<Row>) {
  const v = value as string | null;
  if (!v || v === "none") return null;
  return <Badge value={v} enumKey="specialClass" />;
}

function StatusCell({ value, colDef }: ICellRendererParams<Row>) {
  return <Badge value={value as string} enumKey={(colDef?.cellRendererParams as { enumKey?: string })?.enumKey ?? "status"} />;
}

/** Calibration due: red when overdue, amber within 30 days. */
export function dueClass(due: string | null | undefined): string {
  if (!due) return "";
  const now = today();
  if (due < now) return "due-overdue";
  if (due <= addDays(now, 30)) return "due-soon";
  return "";
}

function DueCell({ value }: ICellRendererParams<Row>) {
  const v = value as string | null;
  if (!v) return null;
  return (
    <span className={`due ${dueClass(v)}`} data-testid="calibration-due">
      {v}
    </span>
  );
}

export function toColDefs(columns: ColumnDef[], t: TFunction, language: string): ColDef<Row>[] {
  return columns.map((c) => {
    const def: ColDef<Row> = {
      field: c.field,
      colId: c.field,
      headerName: t(`fields.${c.field}`),
      sortable: c.sortable ?? true,
      ...(c.width ? { minWidth: c.width } : {}),
    };
    switch (c.kind) {
      case "status":
        return { ...def, cellRenderer: StatusCell, cellRendererParams: { enumKey: c.enumKey ?? "status" } };
      case "specialClass":
        return { ...def, cellRenderer: SpecialClassCell };
      case "calibrationDue":
        return { ...def, cellRenderer: DueCell };
      case "enum":
        return { ...def, valueFormatter: (p) => (p.value ? t(`enums.${c.enumKey}.${p.value}`, { defaultValue: String(p.value) }) : "") };
      case "number":
        return { ...def, type: "rightAligned" };
      case "datetime":
        return { ...def, valueFormatter: (p) => formatDateTime(p.value as string, language) };
      default:
        return def;
    }
  });
}
