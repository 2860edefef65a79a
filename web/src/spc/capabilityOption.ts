/** ECharts option of a capability histogram: bars of the readings, the fitted normal curve,
 * and mark lines at LSL, target and USL. */
import type { TFunction } from "i18next";
import type { CustomSeriesRenderItem } from "echarts";
import type { Capability } from "./api";
import type { ChartOption } from "./EChart";
import { formatNumber } from "./format";

const BAR = "rgba(31, 111, 235, 0.55)";
const BAR_EDGE = "#1753b4";
const CURVE = "#2e7d32";
const SPEC = "#c62828";
const TARGET = "#7b3fbf";

const renderBin: CustomSeriesRenderItem = (_params, api) => {
  const start = api.coord([api.value(0), api.value(2)]);
  const end = api.coord([api.value(1), 0]);
  return {
    type: "rect",
    shape: { x: start[0], y: start[1], width: Math.max(1, end[0] - start[0] - 1), height: end[1] - start[1] },
    style: { fill: BAR, stroke: BAR_EDGE, lineWidth: 1 },
  };
};

/** A round upper end for the count axis (the mark lines run up to it) and its tick step. */
function niceTop(max: number): { top: number; step: number } {
  const raw = Math.max(1, max * 1.05);
  const magnitude = 10 ** Math.floor(Math.log10(raw / 5));
  const step = [1, 2, 5, 10].map((m) => Math.max(1, m * magnitude)).find((s) => raw / s <= 6) ?? 10 * magnitude;
  return { top: Math.ceil(raw / step) * step, step };
}

export function buildCapabilityChart(c: Capability, t: TFunction, locale: string): ChartOption {
  const fmt = (v: number) => formatNumber(v, locale);
  const { edges, counts } = c.histogram;
  const bins = counts.map((n, i) => [edges[i], edges[i + 1], n]);
  const xs = [...c.fitted.x, ...edges, c.lsl, c.usl, c.target].filter((v): v is number => typeof v === "number");
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const pad = (hi - lo) * 0.04 || 1;
  const { top: yTop, step: yStep } = niceTop(Math.max(...counts, ...c.fitted.y));
  // Each mark line as an explicit pair of points: a bare `{ xAxis: v }` near the edge of the axis
  // is sometimes dropped by ECharts 6.1.
  const vertical = (x: number, label: string, color: string, dotted: boolean, position: "insideEndTop" | "insideEndBottom") => {
    const from = {
      coord: [x, 0],
      lineStyle: { color, type: dotted ? ("dotted" as const) : ("dashed" as const) },
      label: { formatter: label, color, position },
    };
    const to = { coord: [x, yTop] };
    return [from, to] as [typeof from, typeof to];
  };
  const specLines = [
    c.lsl !== null ? vertical(c.lsl, `LSL ${fmt(c.lsl)}`, SPEC, false, "insideEndTop") : null,
    c.usl !== null ? vertical(c.usl, `USL ${fmt(c.usl)}`, SPEC, false, "insideEndTop") : null,
    c.target !== null
      ? vertical(c.target, `${t("spc.capability.target")} ${fmt(c.target)}`, TARGET, true, "insideEndBottom")
      : null,
  ].filter((x) => x !== null);

  return {
    animation: false,
    grid: { left: 48, right: 24, top: 40, bottom: 40 },
    legend: { top: 0, data: [t("spc.capability.readings"), t("spc.capability.fitted")] },
    tooltip: { trigger: "item", confine: true },
    xAxis: {
      type: "value",
      min: lo - pad,
      max: hi + pad,
      axisLabel: { formatter: (v: number) => formatNumber(v, locale, 5), hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: { type: "value", name: t("spc.capability.count"), max: yTop, interval: yStep },
    series: [
      {
        name: t("spc.capability.readings"),
        type: "custom",
        renderItem: renderBin,
        itemStyle: { color: BAR },
        encode: { x: [0, 1], y: 2 },
        data: bins,
        tooltip: {
          formatter: (p) => {
            const v = (p as { value: number[] }).value;
            return `${fmt(v[0])} – ${fmt(v[1])}: <strong>${v[2]}</strong>`;
          },
        },
      },
      {
        name: t("spc.capability.fitted"),
        type: "line",
        smooth: true,
        symbol: "none",
        data: c.fitted.x.map((x, i) => [x, c.fitted.y[i]]),
        lineStyle: { color: CURVE, width: 2 },
        itemStyle: { color: CURVE },
        tooltip: { show: false },
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { width: 2 },
          label: { fontSize: 11 },
          data: specLines,
        },
      },
    ],
  };
}
