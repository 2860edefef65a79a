import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { Badge } from "../components/Badge";
import type { KeyCharacteristic } from "./api";
import { cpkGrade, formatIndex } from "./format";

/** Cpk with its verdict in words; < 1.00 red, < 1.33 amber, else green. */
export function CpkValue({ cpk }: { cpk: number | null | undefined }) {
  const { t, i18n } = useTranslation();
  const grade = cpkGrade(cpk);
  return (
    <span className={`cpk cpk-${grade}`} data-testid="cpk-value" data-grade={grade}>
      <strong>{formatIndex(cpk, i18n.language)}</strong> <span className="cpk-verdict">{t(`spc.cpkGrade.${grade}`)}</span>
    </span>
  );
}

export function CpkTable({ rows }: { rows: KeyCharacteristic[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) {
    return (
      <p className="muted" data-testid="cpk-empty">
        {t("spc.cpk.empty")}
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" data-testid="cpk-table">
        <thead>
          <tr>
            <th>{t("fields.code")}</th>
            <th>{t("fields.name")}</th>
            <th>{t("fields.special_class")}</th>
            <th>Cpk</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.characteristic_id} data-testid={`cpk-row-${r.code}`}>
              <td className="nowrap">
                <Link to={`/spc/capability/${r.characteristic_id}`}>{r.code}</Link>
              </td>
              <td>{r.name}</td>
              <td>
                <Badge value={r.special_class} enumKey="specialClass" />
              </td>
              <td>
                <CpkValue cpk={r.cpk} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
