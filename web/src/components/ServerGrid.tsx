import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  CellStyleModule,
  ColumnAutoSizeModule,
  InfiniteRowModelModule,
  LocaleModule,
  ModuleRegistry,
  RowStyleModule,
  ScrollApiModule,
  TooltipModule,
  ValidationModule,
  themeQuartz,
  type ColDef,
  type GridApi,
  type IDatasource,
  type RowClickedEvent,
} from "ag-grid-community";
import { AgGridReact } from "ag-grid-react";
import { AG_GRID_LOCALE_CN, AG_GRID_LOCALE_EN } from "@ag-grid-community/locale";
import type { Page } from "../api/types";
import { useErrorText } from "../lib/errorText";

// Only what these grids use (Community modules); the validation module only in development builds.
ModuleRegistry.registerModules([
  ...(import.meta.env.DEV ? [ValidationModule] : []),
  InfiniteRowModelModule,
  LocaleModule,
  CellStyleModule,
  RowStyleModule,
  ColumnAutoSizeModule,
  ScrollApiModule,
  TooltipModule,
]);

const theme = themeQuartz.withParams({
  rowHeight: 44,
  headerHeight: 44,
  fontSize: 14,
  headerFontWeight: 600,
  accentColor: "#1f6feb",
});

export interface PageRequest {
  limit: number;
  offset: number;
  sort?: string;
}

/**
 * AG Grid on the Infinite Row Model: paging and sorting happen on the server
 * (`limit`, `offset`, `sort=field|-field`). Changing `refreshKey` reloads from the first row.
 */
export function ServerGrid<T extends { id: unknown }>({
  columns,
  fetchPage,
  refreshKey,
  onRowClick,
  testid = "grid",
}: {
  columns: ColDef<T>[];
  fetchPage: (request: PageRequest) => Promise<Page<T>>;
  refreshKey: string;
  onRowClick?: (row: T) => void;
  testid?: string;
}) {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const [error, setError] = useState<unknown>(null);
  const [total, setTotal] = useState<number | null>(null);
  const fetchRef = useRef(fetchPage);
  const apiRef = useRef<GridApi<T> | null>(null);
  fetchRef.current = fetchPage;

  const datasource = useMemo<IDatasource>(
    () => ({
      rowCount: undefined,
      getRows: (params) => {
        const s = params.sortModel[0];
        const sort = s ? `${s.sort === "desc" ? "-" : ""}${s.colId}` : undefined;
        setError(null);
        fetchRef
          .current({ limit: params.endRow - params.startRow, offset: params.startRow, sort })
          .then((page) => {
            setTotal(page.total);
            params.successCallback(page.items, page.total);
          })
          .catch((e: unknown) => {
            setError(e);
            params.failCallback();
          });
      },
    }),
    // A new datasource (and so a reload from row 0) whenever the caller's inputs change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [refreshKey],
  );

  useEffect(() => {
    apiRef.current?.ensureIndexVisible(0);
  }, [refreshKey]);

  const defaultColDef = useMemo<ColDef<T>>(() => ({ sortable: true, resizable: true, minWidth: 80, flex: 1 }), []);
  const localeText = i18n.language === "zh-CN" ? AG_GRID_LOCALE_CN : AG_GRID_LOCALE_EN;

  return (
    <div className="grid-block">
      {error !== null && (
        <div className="alert alert-error" role="alert">
          {errorText(error)}
        </div>
      )}
      <div className="grid-wrap" data-testid={testid}>
        <AgGridReact<T>
          key={i18n.language}
          theme={theme}
          localeText={localeText}
          rowModelType="infinite"
          datasource={datasource}
          cacheBlockSize={100}
          maxBlocksInCache={20}
          columnDefs={columns}
          defaultColDef={defaultColDef}
          getRowId={(p) => String(p.data.id)}
          onGridReady={(e) => (apiRef.current = e.api)}
          onRowClicked={(e: RowClickedEvent<T>) => e.data && onRowClick?.(e.data)}
          rowClass="clickable-row"
          overlayNoRowsTemplate={`<span>${t("grid.noRows")}</span>`}
        />
      </div>
      <div className="grid-footer muted" data-testid="grid-total">
        {total !== null && t("grid.total", { count: total })}
      </div>
    </div>
  );
}
