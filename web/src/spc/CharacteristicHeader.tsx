import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router-dom";
import { plantApi } from "../api/plant";
import type { Characteristic, Id } from "../api/types";
import { Badge } from "../components/Badge";
import { useErrorText } from "../lib/errorText";
import { formatNumber } from "./format";

export function useCharacteristic(id: Id) {
  return useQuery({
    queryKey: ["spc", "characteristic", id],
    queryFn: () => plantApi.get<Characteristic>("characteristics", id),
    staleTime: 60_000,
  });
}

/** Title of the per-characteristic SPC pages: code, name, class, specification and the page tabs. */
export function CharacteristicHeader({ id, title, testid }: { id: Id; title: string; testid: string }) {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const { data: c, error } = useCharacteristic(id);
  const spec = (v: number | null | undefined) => formatNumber(v, i18n.language);
  return (
    <div className="spc-head">
      <div className="page-head">
        <div>
          <h1 data-testid={testid}>{title}</h1>
          {c && (
            <div className="char-line" data-testid="char-line">
              <strong>{c.code}</strong> · {c.name} <Badge value={c.special_class === "none" ? null : c.special_class} />
              <span className="muted">
                {" "}
                {t("spc.spec", { lsl: spec(c.lsl), nominal: spec(c.nominal), usl: spec(c.usl) })}
                {c.unit ? ` ${c.unit}` : ""}
              </span>
            </div>
          )}
          {error && <div className="alert alert-error">{errorText(error)}</div>}
        </div>
        <nav className="tabs" aria-label={t("spc.tabs")}>
          <NavLink className="tab" to={`/spc/chart/${id}`} data-testid="tab-chart">
            {t("spc.chart.title")}
          </NavLink>
          <NavLink className="tab" to={`/spc/capability/${id}`} data-testid="tab-capability">
            {t("spc.capability.title")}
          </NavLink>
          <NavLink className="tab" to={`/spc/alarms?characteristic_id=${id}`} data-testid="tab-alarms">
            {t("nav.spcAlarms")}
          </NavLink>
        </nav>
      </div>
    </div>
  );
}
