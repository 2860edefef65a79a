/**
 * SPC endpoints. Chart data, limit sets and alarms are typed from the OpenAPI schema; the board
 * and the capability study are free-form JSON in the schema, so their shapes are declared here.
 */
import { api, request, unwrap } from "../api/client";
import type { components } from "../api/schema";
import type { Id } from "../api/types";

type S = components["schemas"];

export type ChartData = S["ChartData"];
export type ChartPoint = S["ChartPoint"];
export type LimitSet = S["LimitSetRead"];
export type LimitSetCreate = S["LimitSetCreate"];
export type Alarm = S["AlarmRead"];
export type AlarmStatus = S["AlarmStatus"];

export type Light = "green" | "amber" | "red";

export interface ResponseTimes {
  alarms: number;
  open: number;
  acknowledged: number;
  resolved: number;
  median_seconds_to_acknowledge: number | null;
  median_seconds_to_resolve: number | null;
  p90_seconds_to_acknowledge: number | null;
}

export interface BoardStation {
  id: Id;
  code: string;
  name: string;
}

export interface BoardLine {
  id: Id;
  code: string;
  name: string;
  status: Light;
  open_alarms: number;
  stations: BoardStation[];
}

export interface BoardSite {
  id: Id;
  code: string;
  name: string;
  status: Light;
  lines: BoardLine[];
  response_times: ResponseTimes;
}

export interface BoardAlarm {
  id: Id;
  status: AlarmStatus;
  rule: string;
  site_id: Id;
  characteristic_id: Id;
  characteristic: string | null;
  name: string | null;
  raised_at: string;
  /** Time of the reading that raised the alarm. */
  point_ts: string | null;
  age_seconds: number;
  reaction_plan: string | null;
}

export interface ParetoRow {
  characteristic_id: Id;
  code: string;
  count: number;
  cumulative_share: number;
}

export interface KeyCharacteristic {
  characteristic_id: Id;
  code: string;
  name: string;
  special_class: "CC" | "SC" | string;
  site_id: Id;
  cpk: number | null;
}

export interface Board {
  generated_at: string;
  sites: BoardSite[];
  open_alarms: BoardAlarm[];
  pareto: ParetoRow[];
  key_characteristics: KeyCharacteristic[];
}

export interface Interval {
  value: number | null;
  lower: number | null;
  upper: number | null;
}

export type IndexName = "Cp" | "Cp_l" | "Cp_u" | "Cp_k" | "Cpm";

export interface Capability {
  characteristic_id: Id;
  code: string;
  name: string;
  unit: string | null;
  lsl: number | null;
  usl: number | null;
  target: number | null;
  nobs: number;
  center: number;
  within_sigma: number;
  sigma_source: string;
  overall_sigma: number;
  indices: Partial<Record<IndexName, Interval>>;
  pp: number | null;
  ppk: number | null;
  expected_out_of_spec: { below: number | null; above: number | null };
  observed_out_of_spec: { below: number | null; above: number | null };
  normality_p_value: number | null;
  non_normal: {
    boxcox_lambda: number | null;
    p_low: number | null;
    median: number | null;
    p_high: number | null;
    cp: number | null;
    cpk: number | null;
  } | null;
  histogram: { edges: number[]; counts: number[] };
  fitted: { x: number[]; y: number[] };
  confidence_level: number;
}

export const BOARD_URL = "/api/spc/board";
export const BOARD_STREAM_URL = "/api/spc/board/stream";

export const spcKeys = {
  board: ["spc", "board"] as const,
  chart: (id: Id) => ["spc", "chart", id] as const,
  capability: (id: Id, readings: number, confidence: number) => ["spc", "capability", id, readings, confidence] as const,
  alarms: ["spc", "alarms"] as const,
};

export const spcApi = {
  board: () => request<Board>("GET", BOARD_URL),
  chart: (id: Id, limit = 500) =>
    unwrap(api.GET("/api/spc/characteristics/{characteristic_id}/chart", { params: { path: { characteristic_id: id }, query: { limit } } })),
  capability: (id: Id, readings: number, confidence: number) =>
    request<Capability>("GET", `/api/spc/characteristics/${id}/capability`, {
      query: { readings, confidence_level: confidence },
    }),
  createLimitSet: (body: LimitSetCreate) => unwrap(api.POST("/api/spc/limit-sets", { body })),
  approveLimitSet: (id: Id, reason: string) =>
    unwrap(api.POST("/api/spc/limit-sets/{limit_set_id}/approve", { params: { path: { limit_set_id: id } }, body: { reason } })),
  alarms: (query: { status?: AlarmStatus; site_id?: Id; characteristic_id?: Id; limit?: number }) =>
    unwrap(api.GET("/api/spc/alarms", { params: { query } })),
  acknowledge: (id: Id, note?: string) =>
    unwrap(
      api.POST("/api/spc/alarms/{alarm_id}/acknowledge", { params: { path: { alarm_id: id } }, body: note ? { note } : {} }),
    ),
  resolve: (id: Id, cause: string, action: string) =>
    unwrap(api.POST("/api/spc/alarms/{alarm_id}/resolve", { params: { path: { alarm_id: id } }, body: { cause, action } })),
};
