/**
 * ECharts option of a Shewhart control chart: the plotted statistic, centre line and control limits
 * per point (stepped where the limit set changes), lightly shaded zones ±1σ/±2σ/±3σ, violating
 * points in red with the rules in the tooltip, a vertical marker where each limit set takes over,
 * and the Phase I study (grey points on a shaded band) before the Phase II boundary.
 */
import type { TFunction } from "i18next";
import type { ChartData, ChartPoint, LimitSet } from "./api";
import type { ChartOption } from "./EChart";
import { formatNumber, ruleText } from "./format";

export const COLORS = {
  statistic: "#1f6feb",
  violation: "#c62828",
  center: "#2e7d32",
  limit: "#c62828",
  marker: "#7b3fbf",
  study: "#8c959f",
  studyBand: "rgba(140, 149, 159, 0.10)",
  zoneA: "rgba(198, 40, 40, 0.07)",
  zoneB: "rgba(178, 106, 0, 0.08)",
  zoneC: "rgba(46, 125, 50, 0.07)",
};

const ZOOM_AFTER = 40;
const WINDOW = 120;

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function shortTime(iso: string, locale: string): string {
  const d = new Date(iso);
  return d.toLocaleString(locale, { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
}

/** Sigma of the plotted statistic at each point, from its limits (as the rule engine does). */
function sigmaOf(p: ChartPoint, nsigmas: number): number {
  return nsigmas > 0 ? (p.ucl - p.center) / nsigmas : 0;
}

/** Index of the first point of each limit set, in plotting order. */
export function limitSetStarts(points: ChartPoint[]): { index: number; limitSetId: number }[] {
  const out: { index: number; limitSetId: number }[] = [];
  points.forEach((p, i) => {
    if (i === 0 || points[i - 1].limit_set_id !== p.limit_set_id) out.push({ index: i, limitSetId: p.limit_set_id });
  });
  return out;
}

function band(name: string, data: number[], color: string | null) {
  return {
    name,
    type: "line" as const,
    stack: "zones",
    stackStrategy: "all" as const,
    step: "middle" as const,
    symbol: "none",
    silent: true,
    lineStyle: { opacity: 0 },
    areaStyle: color ? { color, opacity: 1 } : { opacity: 0 },
    tooltip: { show: false },
    emphasis: { disabled: true },
    data,
  };
}

function zoneSeries(points: ChartPoint[], sets: Map<number, LimitSet>) {
  const k = points.map((p) => sets.get(p.limit_set_id)?.nsigmas ?? 3);
  const s = points.map((p, i) => sigmaOf(p, k[i]));
  const outer = (i: number) => Math.max(0, k[i] - 2) * s[i];
  return [
    band("zone-base", points.map((p, i) => p.center - k[i] * s[i]), null),
    band("zone-a-low", points.map((_, i) => outer(i)), COLORS.zoneA),
    band("zone-b-low", s, COLORS.zoneB),
    band("zone-c", s.map((v) => 2 * v), COLORS.zoneC),
    band("zone-b-high", s, COLORS.zoneB),
    band("zone-a-high", points.map((_, i) => outer(i)), COLORS.zoneA),
  ];
}

function limitLine(name: string, data: number[], color: string, dashed: boolean) {
  return {
    name,
    type: "line" as const,
    step: "middle" as const,
    symbol: "none",
    data,
    lineStyle: { color, width: 1.5, type: dashed ? ("dashed" as const) : ("solid" as const) },
    itemStyle: { color },
    emphasis: { disabled: true },
  };
}

/** Phase I points in the shape of chart points (negative ids: they are not stored points). */
export function studyPoints(data: ChartData): ChartPoint[] {
  const study = data.phase1;
  if (!study) return [];
  return study.points.map((p, i) => ({ ...p, id: -(i + 1), limit_set_id: study.limit_set_id }));
}

export function buildControlChart(data: ChartData, t: TFunction, locale: string): ChartOption {
  const study = studyPoints(data);
  const k = study.length;
  const points = [...study, ...data.points];
  const sets = new Map(data.limit_sets.map((ls) => [ls.id, ls]));
  const n = points.length;
  const labels = { stat: t("spc.chart.statistic"), cl: t("spc.chart.center"), ucl: "UCL", lcl: "LCL" };

  const markers = limitSetStarts(data.points).map(({ index, limitSetId }) => {
    const ls = sets.get(limitSetId);
    const revision = t("spc.chart.revisionMarker", { revision: ls?.revision ?? "?" });
    const phase2 = k > 0 && index === 0 ? `${t("spc.chart.phase2")} · ` : "";
    return { xAxis: index + k, label: { formatter: phase2 + revision } };
  });
  const studyBand =
    k > 0
      ? {
          silent: true,
          itemStyle: { color: COLORS.studyBand },
          label: { position: "insideTop" as const, color: COLORS.study, fontSize: 11 },
          data: [[{ xAxis: 0, name: t("spc.chart.phase1") }, { xAxis: Math.max(k - 1, 0) }] as [
            { xAxis: number; name: string },
            { xAxis: number },
          ]],
        }
      : undefined;

  const tooltip = (params: unknown): string => {
    const list = Array.isArray(params) ? params : [params];
    const index = (list[0] as { dataIndex?: number } | undefined)?.dataIndex;
    const p = index === undefined ? undefined : points[index];
    if (!p) return "";
    const fmt = (v: number) => formatNumber(v, locale);
    const rows = [
      `<strong>${esc(new Date(p.ts).toLocaleString(locale))}</strong>`,
      `${esc(labels.stat)}: <strong>${fmt(p.statistic)}</strong>${p.size > 1 ? ` (n=${p.size})` : ""}`,
      `UCL ${fmt(p.ucl)} · ${esc(labels.cl)} ${fmt(p.center)} · LCL ${fmt(p.lcl)}`,
    ];
    if (p.subgroup) rows.push(`${esc(t("spc.chart.subgroup"))}: ${esc(p.subgroup)}`);
    if (p.id < 0) rows.push(`<span style="color:${COLORS.study}">${esc(t("spc.chart.phase1"))}</span>`);
    if (sets.get(p.limit_set_id)) rows.push(esc(t("spc.chart.revisionMarker", { revision: sets.get(p.limit_set_id)!.revision })));
    for (const rule of p.violations) {
      rows.push(`<span style="color:${COLORS.violation}">● ${esc(ruleText(t, rule))} (${esc(rule)})</span>`);
    }
    return rows.join("<br/>");
  };

  const zoom = n > ZOOM_AFTER;
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 60, bottom: zoom ? 72 : 40 },
    legend: { top: 0, data: [labels.stat, labels.cl, labels.ucl, labels.lcl] },
    tooltip: { trigger: "axis", formatter: tooltip, confine: true },
    xAxis: {
      type: "category",
      boundaryGap: false,
      data: points.map((p) => shortTime(p.ts, locale)),
      axisLabel: { hideOverlap: true, fontSize: 11 },
    },
    yAxis: { type: "value", scale: true, axisLabel: { formatter: (v: number) => formatNumber(v, locale, 5) } },
    dataZoom: zoom
      ? [
          { type: "inside", startValue: Math.max(0, n - WINDOW), endValue: n - 1 },
          { type: "slider", startValue: Math.max(0, n - WINDOW), endValue: n - 1, height: 22, bottom: 10 },
        ]
      : [],
    series: [
      ...zoneSeries(points, sets),
      limitLine(labels.ucl, points.map((p) => p.ucl), COLORS.limit, true),
      limitLine(labels.lcl, points.map((p) => p.lcl), COLORS.limit, true),
      limitLine(labels.cl, points.map((p) => p.center), COLORS.center, false),
      {
        name: labels.stat,
        type: "line",
        symbol: "circle",
        symbolSize: 6,
        z: 5,
        lineStyle: { color: COLORS.statistic, width: 1.5 },
        itemStyle: { color: COLORS.statistic },
        data: points.map((p) =>
          p.violations.length > 0
            ? { value: p.statistic, symbol: "diamond", symbolSize: 12, itemStyle: { color: COLORS.violation } }
            : p.id < 0
              ? { value: p.statistic, itemStyle: { color: COLORS.study } }
              : p.statistic,
        ),
        markArea: studyBand,
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: COLORS.marker, type: "dotted", width: 1.5 },
          label: { position: "end", distance: 8, color: COLORS.marker, fontSize: 11 },
          data: markers,
        },
      },
    ],
  };
}
