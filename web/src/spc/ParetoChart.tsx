import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ParetoRow } from "./api";
import { EChart, type ChartOption } from "./EChart";

const BAR = "#1f6feb";
const LINE = "#c62828";

/** A Pareto bar's label: the characteristic, after its site's code where several sites show. */
export function paretoLabel(row: ParetoRow, showSite: boolean): string {
  return showSite ? `${row.site_code} · ${row.code}` : row.code;
}

/** Alarms of the last 30 days per characteristic (bars) with the cumulative share (line). */
export function ParetoChart({ rows, showSite = false }: { rows: ParetoRow[]; showSite?: boolean }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 48, right: 52, top: 36, bottom: 64 },
      legend: { top: 0, data: [t("spc.pareto.count"), t("spc.pareto.cumulative")] },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "category",
        data: rows.map((r) => paretoLabel(r, showSite)),
        axisLabel: { rotate: rows.length > 4 ? 30 : 0, interval: 0, fontSize: 11 },
      },
      yAxis: [
        { type: "value", name: t("spc.pareto.count"), minInterval: 1 },
        { type: "value", name: "%", min: 0, max: 100, splitLine: { show: false } },
      ],
      series: [
        {
          name: t("spc.pareto.count"),
          type: "bar",
          data: rows.map((r) => r.count),
          itemStyle: { color: BAR },
          barMaxWidth: 48,
        },
        {
          name: t("spc.pareto.cumulative"),
          type: "line",
          yAxisIndex: 1,
          data: rows.map((r) => Math.round(r.cumulative_share * 1000) / 10),
          itemStyle: { color: LINE },
          tooltip: { valueFormatter: (v) => `${String(v)} %` },
          markLine: {
            silent: true,
            symbol: "none",
            lineStyle: { type: "dashed", color: "#8a94a6" },
            label: { formatter: "80 %", position: "insideStartTop" },
            data: [{ yAxis: 80 }],
          },
        },
      ],
    }),
    [rows, showSite, t],
  );
  if (rows.length === 0) {
    return (
      <p className="muted" data-testid="pareto-empty">
        {t("spc.pareto.empty")}
      </p>
    );
  }
  return (
    <EChart
      option={option}
      label={`${t("spc.pareto.title")}: ${rows.map((r) => `${paretoLabel(r, showSite)} (${r.count})`).join(", ")}`}
      testid="pareto-chart"
      className="echart echart-pareto"
    />
  );
}
