/**
 * A small React wrapper around ECharts: one instance per mounted element, resized with its
 * container, disposed on unmount, re-created when the UI language changes (ECharts' own
 * texts such as the data-zoom labels follow the locale; ZH and EN are built in).
 * Only the chart types and components the SPC pages use are registered (tree-shaken build).
 */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { BarChart, CustomChart, LineChart } from "echarts/charts";
import type { BarSeriesOption, CustomSeriesOption, LineSeriesOption } from "echarts/charts";
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from "echarts/components";
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkAreaComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from "echarts/components";
import { init, use as registerEChartsParts, type ComposeOption, type EChartsType } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

registerEChartsParts([
  BarChart,
  CustomChart,
  LineChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | CustomSeriesOption
  | LineSeriesOption
  | DataZoomComponentOption
  | GridComponentOption
  | LegendComponentOption
  | MarkAreaComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

export function EChart({
  option,
  label,
  testid,
  className = "echart",
}: {
  option: ChartOption;
  /** Accessible description of the picture (the canvas itself carries no text). */
  label: string;
  testid?: string;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);
  const { i18n } = useTranslation();
  const locale = i18n.language.toLowerCase().startsWith("zh") ? "ZH" : "EN";

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = init(el, undefined, { locale, renderer: "canvas" });
    chartRef.current = chart;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => chart.resize());
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, [locale]);

  useEffect(() => {
    chartRef.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option, locale]);

  return <div ref={ref} className={className} role="img" aria-label={label} data-testid={testid} />;
}
