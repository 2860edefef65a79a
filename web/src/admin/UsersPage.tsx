import { useCallback, useEffect, useMemo, useState } from "react";
import type { ColDef, ICellRendererParams } from "ag-grid-community";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, unwrap } from "../api/client";
import type { User } from "../api/types";
import { Badge } from "../components/Badge";
import { ServerGrid, type PageRequest } from "../components/ServerGrid";
import { formatDateTime } from "../lib/format";
import { UserDrawer } from "./UserDrawer";

function StateCell({ data }: ICellRendererParams<User>) {
  if (!data) return null;
  const locked = data.locked_until && new Date(data.locked_until) > new Date();
  return (
    <>
      <Badge value={data.active ? "active" : "inactive"} enumKey="status" />
      {locked && <Badge value="locked" enumKey="status" />}
    </>
  );
}

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const columns = useMemo<ColDef<User>[]>(
    () => [
      { field: "username", headerName: t("fields.username"), minWidth: 140 },
      { field: "full_name", headerName: t("fields.full_name"), minWidth: 180 },
      { field: "email", headerName: t("fields.email"), minWidth: 200 },
      {
        colId: "grants",
        headerName: t("admin.roles"),
        sortable: false,
        minWidth: 220,
        valueGetter: (p) =>
          (p.data?.grants ?? []).map((g) => `${t(`enums.role.${g.role}`)}@${g.site_code ?? t("shell.allSites")}`).join(", "),
      },
      { colId: "active", field: "active", headerName: t("fields.status"), cellRenderer: StateCell, minWidth: 140 },
      {
        field: "last_login_at",
        headerName: t("fields.last_login_at"),
        valueFormatter: (p) => formatDateTime(p.value as string, i18n.language),
        minWidth: 170,
      },
    ],
    [t, i18n.language],
  );

  const fetchPage = useCallback(
    (r: PageRequest) => unwrap(api.GET("/api/admin/users", { params: { query: { ...r, q: q || undefined } } })),
    [q],
  );
  const openId = params.get("id");
  const creating = params.get("new") === "1";
  const reload = () => setVersion((v) => v + 1);

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("nav.users")}</h1>
        <div className="toolbar">
          <input
            type="search"
            className="search"
            data-testid="search-input"
            placeholder={t("grid.search")}
            aria-label={t("grid.search")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <button className="btn btn-primary" data-testid="new-button" onClick={() => setParams({ new: "1" })}>
            {t("common.new")}
          </button>
        </div>
      </div>
      <ServerGrid<User>
        columns={columns}
        fetchPage={fetchPage}
        refreshKey={`${q}|${version}`}
        onRowClick={(u) => setParams({ id: String(u.id) })}
      />
      {(openId || creating) && (
        <UserDrawer
          key={openId ?? "new"}
          id={openId}
          onCreated={(u) => {
            reload();
            setParams({ id: String(u.id) });
          }}
          onChanged={reload}
          onClose={() => setParams({})}
        />
      )}
    </div>
  );
}
