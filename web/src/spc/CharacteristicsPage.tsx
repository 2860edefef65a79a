import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { plantApi } from "../api/plant";
import type { Characteristic } from "../api/types";
import { Badge } from "../components/Badge";
import { useErrorText } from "../lib/errorText";
import { useSite } from "../shell/SiteContext";
import { formatNumber } from "./format";

const PAGE = 25;
const CLASSES = ["", "CC", "SC"] as const;

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Variable characteristics with a search box, each linking to its control chart and capability. */
export default function CharacteristicsPage() {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const { site } = useSite();
  const [search, setSearch] = useState("");
  const [special, setSpecial] = useState<(typeof CLASSES)[number]>("");
  const [offset, setOffset] = useState(0);
  const q = useDebounced(search.trim(), 300);
  const params = {
    limit: PAGE,
    offset,
    sort: "code",
    q: q || undefined,
    site_id: site?.id,
    kind: "variable",
    special_class: special || undefined,
  };
  const query = useQuery({
    queryKey: ["spc", "characteristics", params],
    queryFn: () => plantApi.list<Characteristic>("characteristics", params),
    placeholderData: keepPreviousData,
  });
  const page = query.data;
  const num = (v: number | null) => formatNumber(v, i18n.language);

  return (
    <div className="page spc-page" data-testid="spc-characteristics">
      <div className="page-head">
        <h1>{t("spc.characteristics.title")}</h1>
        <div className="toolbar">
          <input
            className="search"
            type="search"
            data-testid="spc-search"
            placeholder={t("grid.search")}
            aria-label={t("grid.search")}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
          />
          <div className="chips" role="group" aria-label={t("fields.special_class")}>
            {CLASSES.map((c) => (
              <button
                key={c || "all"}
                className={`chip ${special === c ? "chip-active" : ""}`}
                aria-pressed={special === c}
                onClick={() => {
                  setSpecial(c);
                  setOffset(0);
                }}
              >
                {c || t("spc.characteristics.allClasses")}
              </button>
            ))}
          </div>
        </div>
      </div>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {page && (
        <div className="panel">
          <div className="table-scroll">
            <table className="table table-middle" data-testid="spc-characteristics-table">
              <thead>
                <tr>
                  <th>{t("fields.code")}</th>
                  <th>{t("fields.name")}</th>
                  <th>{t("fields.special_class")}</th>
                  <th>{t("spc.characteristics.spec")}</th>
                  <th aria-label={t("spc.alarm.actions")} />
                </tr>
              </thead>
              <tbody>
                {page.items.map((c) => (
                  <tr key={c.id} data-testid={`spc-char-${c.code}`}>
                    <td className="nowrap">
                      <Link to={`/spc/chart/${c.id}`}>{c.code}</Link>
                    </td>
                    <td>{c.name}</td>
                    <td>
                      <Badge value={c.special_class === "none" ? null : c.special_class} />
                    </td>
                    <td className="nowrap">
                      {num(c.lsl)} / {num(c.nominal)} / {num(c.usl)} {c.unit ?? ""}
                    </td>
                    <td>
                      <div className="row-links">
                        <Link className="btn btn-small" to={`/spc/chart/${c.id}`} data-testid="open-chart">
                          {t("spc.chart.title")}
                        </Link>
                        <Link className="btn btn-small" to={`/spc/capability/${c.id}`} data-testid="open-capability">
                          {t("spc.capability.title")}
                        </Link>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.items.length === 0 && <p className="muted">{t("grid.noRows")}</p>}
          <div className="pager">
            <span className="muted small">{t("grid.total", { count: page.total })}</span>
            <button className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t("spc.characteristics.previous")}
            </button>
            <button className="btn btn-small" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
              {t("spc.characteristics.next")}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
