import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Id, TreeNode } from "../api/types";

function collectIds(nodes: TreeNode[], depth: number, out: Set<string>): Set<string> {
  for (const n of nodes) {
    if (depth > 0) {
      out.add(String(n.id));
      collectIds(n.children ?? [], depth - 1, out);
    }
  }
  return out;
}

function Branch({
  node,
  expanded,
  toggle,
  selected,
  onSelect,
}: {
  node: TreeNode;
  expanded: Set<string>;
  toggle: (id: string) => void;
  selected: string | null;
  onSelect: (id: Id) => void;
}) {
  const { t } = useTranslation();
  const id = String(node.id);
  const open = expanded.has(id);
  const children = node.children ?? [];
  const hasChildren = children.length > 0;
  return (
    <li role="treeitem" aria-expanded={hasChildren ? open : undefined} aria-selected={selected === id}>
      <div className={`tree-row ${selected === id ? "tree-row-selected" : ""} ${node.status === "retired" ? "tree-row-retired" : ""}`}>
        <button
          className="tree-toggle"
          aria-label={open ? t("tree.collapse") : t("tree.expand")}
          disabled={!hasChildren}
          onClick={() => toggle(id)}
        >
          {hasChildren ? (open ? "▾" : "▸") : "·"}
        </button>
        <button className="tree-label" data-testid={`tree-node-${node.code}`} onClick={() => onSelect(node.id)}>
          <span className={`level-tag level-${node.level}`}>{t(`enums.level.${node.level}`)}</span>
          <span className="tree-code">{node.code}</span>
          <span className="tree-name">{node.name}</span>
        </button>
      </div>
      {open && hasChildren && (
        <ul role="group">
          {children.map((c) => (
            <Branch key={String(c.id)} node={c} expanded={expanded} toggle={toggle} selected={selected} onSelect={onSelect} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** Collapsible enterprise → site → area → line → station tree. */
export function TreeView({ roots, selected, onSelect }: { roots: TreeNode[]; selected: string | null; onSelect: (id: Id) => void }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<Set<string>>(() => collectIds(roots, 3, new Set()));
  const toggle = (id: string) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const all = () => setExpanded(collectIds(roots, 10, new Set()));
  return (
    <div className="tree" data-testid="plant-tree">
      <div className="tree-tools">
        <button className="btn btn-small" onClick={all}>
          {t("tree.expandAll")}
        </button>
        <button className="btn btn-small" onClick={() => setExpanded(new Set())}>
          {t("tree.collapseAll")}
        </button>
      </div>
      <ul role="tree">
        {roots.map((n) => (
          <Branch key={String(n.id)} node={n} expanded={expanded} toggle={toggle} selected={selected} onSelect={onSelect} />
        ))}
      </ul>
    </div>
  );
}
