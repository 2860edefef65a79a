import { useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { eventUrl, type Disposition, type GraphNode } from "./api";
import { formatQuantity, shortEventId } from "./format";
import type { GraphModel } from "./graphModel";
import { HoldDialog } from "./HoldDialog";
import { dhrUrl, graphUrl } from "./links";
import { HoldBadge, KindBadge } from "./TraceBadges";

const HOLDABLE = new Set(["lot", "unit", "container"]);

/** How far from the traced identity, in words. */
function levelText(depth: number, t: TFunction): string {
  if (depth === 0) return t("trace.node.itself");
  return depth < 0 ? t("trace.node.levelsBack", { count: -depth }) : t("trace.node.levelsForward", { count: depth });
}

/** A selected identity: what it is, how it was reached (path and events), and what to do next. */
export function NodePanel({
  node,
  model,
  pathNodes,
  events,
  eventsComplete,
  expanded,
  expanding,
  onSelect,
  onExpand,
  onHold,
  onOpenEvent,
}: {
  node: GraphNode;
  model: GraphModel;
  pathNodes: string[];
  events: string[];
  /** True when the events are the server's full path; false when read from the drawn edges. */
  eventsComplete: boolean;
  expanded: boolean;
  expanding: boolean;
  onSelect: (id: string) => void;
  onExpand: () => void;
  onHold: (disposition: Disposition, reason: string) => Promise<unknown>;
  onOpenEvent: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const [holding, setHolding] = useState(false);
  const showDhr = (node.kind === "unit" || node.kind === "lot") && !node.id.startsWith("urn:qualitas:supplier-lot:");

  return (
    <div className="trace-side-body" data-testid="node-panel" data-id={node.id}>
      <div className="node-head">
        <KindBadge kind={node.kind} id={node.id} />
        <HoldBadge hold={node.hold} />
        {node.root && <span className="badge badge-neutral">{t("trace.node.traced")}</span>}
      </div>
      <h2 className="node-title" data-testid="node-title">
        {node.label}
      </h2>
      <dl className="props props-compact node-props">
        {node.product && (
          <div>
            <dt>{t("trace.field.product")}</dt>
            <dd>{node.product}</dd>
          </div>
        )}
        {node.lot && node.lot !== node.label && (
          <div>
            <dt>{t("trace.field.lot")}</dt>
            <dd>{node.lot}</dd>
          </div>
        )}
        {node.serial && node.serial !== node.label && (
          <div>
            <dt>{t("trace.field.serial")}</dt>
            <dd>{node.serial}</dd>
          </div>
        )}
        <div>
          <dt>{t("trace.field.quantity")}</dt>
          <dd data-testid="node-quantity">{formatQuantity(node.quantity, node.uom, i18n.language)}</dd>
        </div>
        <div>
          <dt>{t("trace.field.level")}</dt>
          <dd>{levelText(node.depth, t)}</dd>
        </div>
      </dl>
      <div className="node-key mono small" title={node.id}>
        {node.id}
      </div>
      <div className="node-actions">
        {!node.root && (
          <button type="button" className="btn btn-small btn-primary" data-testid="node-expand" disabled={expanded || expanding} onClick={onExpand}>
            {expanding ? t("common.working") : expanded ? t("trace.node.expanded") : t("trace.node.expand")}
          </button>
        )}
        {!node.root && (
          <Link className="btn btn-small" to={graphUrl(node.id)} data-testid="node-trace-here">
            {t("trace.node.traceHere")}
          </Link>
        )}
        {showDhr && (
          <Link className="btn btn-small" to={dhrUrl(node.id)} data-testid="node-dhr">
            {t("trace.node.dhr")}
          </Link>
        )}
        {can("trace.hold") && HOLDABLE.has(node.kind) && !node.hold && (
          <button type="button" className="btn btn-small btn-danger-outline" data-testid="node-hold" onClick={() => setHolding(true)}>
            {t("trace.hold.place")}
          </button>
        )}
      </div>
      {pathNodes.length > 1 && (
        <section>
          <h3>{t("trace.node.path")}</h3>
          <ol className="path-list" data-testid="node-path">
            {pathNodes.map((id) => {
              const n = model.nodes.get(id);
              if (!n) return null;
              return (
                <li key={id} className={id === node.id ? "path-here" : undefined}>
                  <button type="button" className="link-button" onClick={() => onSelect(id)}>
                    <KindBadge kind={n.kind} id={n.id} /> {n.label}
                  </button>
                  {n.hold && (
                    <>
                      {" "}
                      <HoldBadge hold={n.hold} />
                    </>
                  )}
                </li>
              );
            })}
          </ol>
        </section>
      )}
      {events.length > 0 && (
        <section>
          <h3>{t("trace.node.events", { count: events.length })}</h3>
          {!eventsComplete && <p className="muted small">{t("trace.node.eventsFromEdges")}</p>}
          <ol className="event-list" data-testid="node-events">
            {events.map((id) => (
              <li key={id}>
                <button type="button" className="link-button mono" title={id} data-testid="path-event" onClick={() => onOpenEvent(id)}>
                  {shortEventId(id)}
                </button>
                <a href={eventUrl(id)} target="_blank" rel="noreferrer" className="small" title={t("trace.event.openQuery")} aria-label={t("trace.event.openQuery")}>
                  EPCIS ↗
                </a>
              </li>
            ))}
          </ol>
        </section>
      )}
      {holding && (
        <HoldDialog
          title={t("trace.hold.placeOne", { label: node.label })}
          confirmLabel={t("trace.hold.place")}
          onConfirm={onHold}
          onClose={() => setHolding(false)}
        />
      )}
    </div>
  );
}
