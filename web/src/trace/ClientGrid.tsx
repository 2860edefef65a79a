/**
 * AG Grid over rows already loaded (a genealogy list, a recall's blast radius, holds): the client-side
 * row model renders only the visible rows, so tens of thousands stay smooth; sorting, a quick
 * filter and CSV export happen in the browser.
 */
import { useImperativeHandle, useMemo, useRef, type Ref } from "react";
import { useTranslation } from "react-i18next";
import {
  CellStyleModule,
  ClientSideRowModelModule,
  ColumnAutoSizeModule,
  CsvExportModule,
  LocaleModule,
  ModuleRegistry,
  QuickFilterModule,
  RowStyleModule,
  TooltipModule,
  ValidationModule,
  themeQuartz,
  type ColDef,
  type GridApi,
  type RowClassParams,
  type RowClickedEvent,
} from "ag-grid-community";
import { AgGridReact } from "ag-grid-react";
import { AG_GRID_LOCALE_CN, AG_GRID_LOCALE_EN } from "@ag-grid-community/locale";

ModuleRegistry.registerModules([
  ...(import.meta.env.DEV ? [ValidationModule] : []),
  ClientSideRowModelModule,
  CsvExportModule,
  QuickFilterModule,
  LocaleModule,
  CellStyleModule,
  RowStyleModule,
  ColumnAutoSizeModule,
  TooltipModule,
]);

const theme = themeQuartz.withParams({
  rowHeight: 40,
  headerHeight: 42,
  fontSize: 14,
  headerFontWeight: 600,
  accentColor: "#1f6feb",
});

export interface ClientGridHandle {
  exportCsv: (fileName: string) => void;
}

interface Props<T> {
  rows: T[];
  columns: ColDef<T>[];
  rowId: (row: T) => string;
  quickFilter?: string;
  onRowClick?: (row: T) => void;
  rowClass?: (row: T) => string | undefined;
  height?: string;
  testid?: string;
  /** Gives CSV export. */
  ref?: Ref<ClientGridHandle>;
}

export function ClientGrid<T>({
  rows,
  columns,
  rowId,
  quickFilter,
  onRowClick,
  rowClass,
  height = "420px",
  testid = "client-grid",
  ref,
}: Props<T>) {
  const { t, i18n } = useTranslation();
  const apiRef = useRef<GridApi<T> | null>(null);
  useImperativeHandle(ref, () => ({
    exportCsv: (fileName: string) => apiRef.current?.exportDataAsCsv({ fileName }),
  }));
  const defaultColDef = useMemo<ColDef<T>>(() => ({ sortable: true, resizable: true, minWidth: 80, flex: 1 }), []);
  const localeText = i18n.language === "zh-CN" ? AG_GRID_LOCALE_CN : AG_GRID_LOCALE_EN;
  return (
    <div className="client-grid" style={{ height }} data-testid={testid} data-rows={rows.length}>
      <AgGridReact<T>
        key={i18n.language}
        theme={theme}
        localeText={localeText}
        rowData={rows}
        columnDefs={columns}
        defaultColDef={defaultColDef}
        getRowId={(p) => rowId(p.data)}
        quickFilterText={quickFilter}
        onGridReady={(e) => (apiRef.current = e.api)}
        onRowClicked={(e: RowClickedEvent<T>) => e.data && onRowClick?.(e.data)}
        getRowClass={(p: RowClassParams<T>) =>
          [onRowClick ? "clickable-row" : "", p.data && rowClass ? (rowClass(p.data) ?? "") : ""].join(" ").trim() || undefined
        }
        overlayNoRowsTemplate={`<span>${t("grid.noRows")}</span>`}
        suppressCellFocus={!onRowClick}
      />
    </div>
  );
}

