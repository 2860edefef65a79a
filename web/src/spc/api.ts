/** SPC endpoints, typed from the OpenAPI schema (chart data, limit sets, alarms, board, capability). */
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import type { Id } from "../api/types";

type S = components["schemas"];

export type ChartData = S["ChartData"];
export type ChartPoint = S["ChartPoint"];
export type LimitSet = S["LimitSetRead"];
export type LimitSetCreate = S["LimitSetCreate"];
export type Alarm = S["AlarmRead"];
export type AlarmStatus = S["AlarmStatus"];

export type Board = S["Board"];
export type BoardSite = S["BoardSite"];
export type BoardLine = S["BoardLine"];
export type BoardAlarm = S["BoardAlarm"];
export type ParetoRow = S["ParetoEntry"];
export type KeyCharacteristic = S["KeyCharacteristic"];
export type ResponseTimes = S["ResponseTimes"];
export type Light = BoardLine["status"];

export type Capability = S["CapabilityStudy"];
export type IndexName = keyof S["CapabilityIndices"];

export const BOARD_STREAM_URL = "/api/spc/board/stream";

export const spcKeys = {
  board: ["spc", "board"] as const,
  chart: (id: Id) => ["spc", "chart", id] as const,
  capability: (id: Id, readings: number, confidence: number) => ["spc", "capability", id, readings, confidence] as const,
  alarms: ["spc", "alarms"] as const,
};

export const spcApi = {
  board: () => unwrap(api.GET("/api/spc/board")),
  chart: (id: Id, limit = 500) =>
    unwrap(api.GET("/api/spc/characteristics/{characteristic_id}/chart", { params: { path: { characteristic_id: id }, query: { limit } } })),
  capability: (id: Id, readings: number, confidence: number) =>
    unwrap(
      api.GET("/api/spc/characteristics/{characteristic_id}/capability", {
        params: { path: { characteristic_id: id }, query: { readings, confidence_level: confidence } },
      }),
    ),
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
