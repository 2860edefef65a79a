/**
 * The genealogy of one identity (`/trace/graph?id=`): a layered graph (origins left, the identity in
 * the centre, destinations right) or a list, both sides or one, to a chosen depth, optionally only
 * within a time window. Every choice is kept in the address, so a trace can be shared as a link.
 */
import { useCallback } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { useTraceErrorText } from "./useTraceErrorText";
import { isSupplierLot, traceApi, traceKeys, type Direction, type GraphData, type GraphQuery, type Side } from "./api";
import { fromLocalInput, formatCount, formatMs, toLocalInput } from "./format";
import { GenealogyList } from "./GenealogyList";
import { GraphView } from "./GraphView";
import { IdentitySearch } from "./IdentitySearch";
import { dhrUrl, graphUrl } from "./links";
import { HoldBadge, KindBadge } from "./TraceBadges";
import "./trace.css";

const SIDES: Side[] = ["backward", "both", "forward"];
const DEPTHS = [1, 2, 3, 4, 6, 8, 12, 20, 50];
const DEFAULT_DEPTH = 8;

function Stats({ data }: { data: GraphData }) {
  const { t, i18n } = useTranslation();
  const f = (n: number | undefined) => formatCount(n ?? 0, i18n.language);
  const back = data.totals.backward;
  const fwd = data.totals.forward;
  const reached = (back ?? 0) + (fwd ?? 0);
  const groups = data.nodes.filter((n) => n.group).length;
  return (
    <p className="trace-stats" data-testid="graph-stats">
      <strong>{t("trace.graph.reached", { count: reached, n: f(reached) })}</strong>
      {back !== undefined && <span>{t("trace.graph.backward", { n: f(back) })}</span>}
      {fwd !== undefined && <span>{t("trace.graph.forward", { n: f(fwd) })}</span>}
      <span>{t("trace.graph.drawn", { n: f(data.nodes.length) })}</span>
      {data.hidden > 0 && (
        <span className="trace-stats-folded" data-testid="graph-folded">
          {t("trace.graph.folded", { count: groups, n: f(data.hidden), groups: f(groups) })}
        </span>
      )}
      <span className="muted" data-testid="graph-elapsed">
        {t("trace.graph.elapsed", { time: formatMs(data.elapsed_ms, i18n.language) })}
      </span>
    </p>
  );
}

export default function GraphPage() {
  const { t } = useTranslation();
  const { errorText } = useTraceErrorText();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const id = params.get("id") ?? "";
  const side = (SIDES as string[]).includes(params.get("side") ?? "") ? (params.get("side") as Side) : "both";
  const depth = Number(params.get("depth")) || DEFAULT_DEPTH;
  const since = params.get("since");
  const until = params.get("until");
  const tab = params.get("tab") === "list" ? "list" : "graph";
  const listDirection: Direction = (params.get("dir") as Direction) || (side === "forward" ? "forward" : "backward");
  const query: GraphQuery = { id, side, depth, since, until };

  const set = useCallback(
    (patch: Record<string, string | null>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const graph = useQuery({
    queryKey: traceKeys.graph(query),
    queryFn: ({ signal }) => traceApi.graph(query, signal),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
  const root = graph.data?.nodes.find((n) => n.id === graph.data?.root);

  return (
    <div className="page trace-page trace-graph-page" data-testid="trace-graph-page">
      <div className="page-head trace-graph-head">
        <div className="trace-title">
          <Link to="/trace" className="muted small">
            ← {t("trace.nav.search")}
          </Link>
          <h1 data-testid="graph-title">
            {root ? root.label : id || t("trace.graph.title")}{" "}
            {root && <KindBadge kind={root.kind} id={root.id} />}
            {root && <HoldBadge hold={root.hold} />}
          </h1>
          <div className="trace-title-sub">
            {root?.product && <span className="muted small">{root.product}</span>}
            {root && (root.kind === "unit" || root.kind === "lot") && !isSupplierLot(root.id) && (
              <Link className="small" to={dhrUrl(root.id)} data-testid="graph-dhr">
                {t("trace.node.dhr")} →
              </Link>
            )}
          </div>
        </div>
        <div className="trace-graph-search">
          <IdentitySearch
            key={id}
            onChoose={(identity) => navigate(graphUrl(identity.id))}
            placeholder={t("trace.search.another")}
            testid="graph-search"
          />
        </div>
      </div>
      <div className="toolbar trace-toolbar">
        <div className="tabs" role="tablist">
          {(["graph", "list"] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={tab === name}
              className={`tab${tab === name ? " active" : ""}`}
              data-testid={`tab-${name}`}
              onClick={() => set({ tab: name === "graph" ? null : name })}
            >
              {t(`trace.graph.tab.${name}`)}
            </button>
          ))}
        </div>
        {tab === "graph" && (
          <div className="tabs" role="radiogroup" aria-label={t("trace.graph.direction")}>
            {SIDES.map((s) => (
              <button
                key={s}
                type="button"
                role="radio"
                aria-checked={side === s}
                className={`tab${side === s ? " active" : ""}`}
                data-testid={`side-${s}`}
                title={t(`trace.graph.sideHint.${s}`)}
                onClick={() => set({ side: s === "both" ? null : s })}
              >
                {t(`trace.side.${s}`)}
              </button>
            ))}
          </div>
        )}
        {tab === "graph" && (
          <label className="inline-field">
            <span>{t("trace.graph.depth")}</span>
            <select data-testid="graph-depth" value={depth} onChange={(e) => set({ depth: e.target.value === String(DEFAULT_DEPTH) ? null : e.target.value })}>
              {DEPTHS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="inline-field">
          <span>{t("trace.graph.since")}</span>
          <input type="datetime-local" data-testid="graph-since" value={toLocalInput(since)} onChange={(e) => set({ since: fromLocalInput(e.target.value) })} />
        </label>
        <label className="inline-field">
          <span>{t("trace.graph.until")}</span>
          <input type="datetime-local" data-testid="graph-until" value={toLocalInput(until)} onChange={(e) => set({ until: fromLocalInput(e.target.value) })} />
        </label>
        {(since || until) && (
          <button type="button" className="btn btn-small" onClick={() => set({ since: null, until: null })}>
            {t("trace.graph.clearWindow")}
          </button>
        )}
      </div>
      {!id && <div className="alert alert-info">{t("trace.graph.noId")}</div>}
      {graph.error && (
        <div className="alert alert-error" role="alert" data-testid="graph-error">
          {errorText(graph.error)} <Link to="/trace">{t("trace.graph.searchAgain")}</Link>
        </div>
      )}
      {graph.isLoading && id && (
        <div className="trace-progress" role="status" data-testid="graph-loading">
          <span>{t("trace.graph.loading")}</span>
          <progress aria-label={t("trace.graph.loading")} />
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              void queryClient.cancelQueries({ queryKey: traceKeys.graph(query) });
              navigate("/trace");
            }}
          >
            {t("common.cancel")}
          </button>
        </div>
      )}
      {graph.data && tab === "graph" && (
        <>
          <Stats data={graph.data} />
          <GraphView key={JSON.stringify(query)} data={graph.data} query={query} />
        </>
      )}
      {id && tab === "list" && (
        <GenealogyList id={id} direction={listDirection} since={since} until={until} onDirection={(d) => set({ dir: d })} />
      )}
    </div>
  );
}
