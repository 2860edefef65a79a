"""The traceability section of bench/RESULTS.md (between the trace markers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .accuracy import Score
from .groundtruth import CATEGORIES, GroundTruth
from .queries import BackendResult, Times
from .world import World
from .writer import LoadStats

MARK = "<!-- trace:{preset}:{end} -->"  # one section per preset, in this order:
PRESETS = ("tiny", "S", "M")


def markers(preset: str) -> tuple[str, str]:
    return MARK.format(preset=preset, end="begin"), MARK.format(preset=preset, end="end")


QUERIES = (  # key, label
    ("q1 cold", "Q1 backward from a finished serial, cold (lots, supplier lots; with rows)"),
    ("q1 warm", "Q1 backward from a finished serial, warm"),
    ("q2", "Q2 forward from a raw lot, closure only (walk)"),
    ("q2 rows", "Q2 same, full answer (walk + node rows of every hit)"),
    ("q2 cold", "Q2 same, full answer, cold"),
    ("q2 largest", "Q2 forward from the raw lot reaching the most units, closure"),
    ("q3", "Q3 where-used of a supplier lot across plants (closure)"),
    ("q3 rows", "Q3 same, with node rows, grouped by plant/product/customer"),
    ("q7", "Q7 what was on a container at time t (with rows)"),
)


@dataclass
class NxResult:
    """networkx: graph load, memory, BFS times and accuracy."""

    load_s: float = 0.0
    memory: int = 0
    nodes: int = 0
    edges: int = 0
    times: dict[str, Times] = field(default_factory=dict)
    accuracy: dict[tuple[str, str], Score] = field(default_factory=dict)


@dataclass
class Run:
    """One benchmark run: the world, its truth, loads, per-backend results, networkx."""

    world: World
    truth: GroundTruth
    loads: dict[str, LoadStats]
    backends: list[BackendResult]
    nx: NxResult | None
    command: str
    machine: str
    seconds: float
    generate_s: float
    truth_s: float
    peak_rss: int = 0


def _ms(t: Times | None) -> str:
    if t is None or not t.seconds:
        return "–"
    if len(t.seconds) == 1:
        return f"{t.p50:,.1f}"
    return f"{t.p50:,.1f} / {t.p95:,.1f}"


def _mib(b: int) -> str:
    return f"{b / 2**20:,.0f} MiB"


def data_table(run: Run) -> list[str]:
    w = run.world
    s = w.summary()
    fan = [len(e[2]) for e in w.log if e[0] == "T" and w.meta[e[4]][0].startswith("P")]
    batches = len(fan)
    lines = [
        "| data | count |", "|---|---:|",
        f"| batches (production transformations) | {batches:,} |",
        f"| input lots per batch: median / p95 / max | {np.median(fan):.0f} / "
        f"{np.percentile(fan, 95):.0f} / {max(fan)} |",
        f"| lots (internal) / supplier lots | {len(w.lot_material):,} / {len(w.supplier_lots):,} |",
        f"| finished lots / serialised | {len(w.finished_lots):,} / {s['serialised lots']:,} |",
        f"| reworked lots / relabelled transfers | {len(w.reworked):,} / {len(w.relabelled):,} |",
        f"| units / cases / containers | {w.units:,} / {s['cases']:,} / "
        f"{s['container nodes']:,} |",
        f"| units picked out of cases / container deliveries | {s['picked units']:,} / "
        f"{s['container shipments']:,} |",
        f"| ship-to parties / locations | {s['customer nodes']:,} / {s['location nodes']:,} |",
        f"| nodes / events | {w.nodes:,} / {s['events']:,} |",
        f"| edges: lineage (lots) / commissioning / unit→case / case→container / deliveries | "
        f"{s['lineage edges']:,} / {w.units:,} / {w.units + s['picked units']:,} / "
        f"{s['placements']:,} / {s['container shipments']:,} |",
        f"| **edges in total** | **{w.edge_count():,}** |",
    ]  # fmt: skip
    for name, st in run.loads.items():
        lines.append(
            f"| load into {name}: rows / s (nodes, events, edges; ANALYZE) | "
            f"{st.total_rows:,} in {st.total_seconds:,.0f} s = {st.rate():,.0f} rows/s |"
        )
    return lines


def query_table(run: Run) -> list[str]:
    names = [b.name for b in run.backends]
    head = "| query | hits | " + " | ".join(f"Qualitas {n} p50 / p95 ms" for n in names)
    head += " | networkx BFS p50 / p95 ms (graph in memory) |"
    lines = [head, "|---|---:|" + "---:|" * (len(names) + 1)]
    for key, label in QUERIES:
        cells = [b.times.get(key) for b in run.backends]
        if all(c is None for c in cells):
            continue
        rows = max((c.rows for c in cells if c is not None), default=0)
        nx = run.nx.times.get(key) if run.nx else None
        lines.append(f"| {label} | {rows:,} | " + " | ".join(_ms(c) for c in cells)
                     + f" | {_ms(nx)} |")  # fmt: skip
    return lines


def orm_table(run: Run) -> list[str]:
    lines = ["| query | backend | start points | finished | nodes found | queries | seconds "
             "| extrapolated to the whole closure | precision of finished walks |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for b in run.backends:
        for key, walks in b.orm.items():
            done = sum(o.complete for o in walks)
            total = b.orm_total.get(key, 0)
            secs = [o.seconds for o in walks]
            extra = [o.extrapolated(total) for o in walks]
            est = "–" if done == len(walks) else f"**≈ {np.median(extra):,.0f} s (extrapolated)**"
            sc = b.orm_score.get(key)
            prec = f"{sc.precision:.3f}" if sc and sc.samples else "–"
            lines.append(
                f"| {key.upper()} | {b.name} | {len(walks)} | {done} | "
                f"{int(np.median([len(o.reached) for o in walks])):,} | "
                f"{int(np.median([o.queries for o in walks])):,} | {np.median(secs):,.2f} | "
                f"{est} | {prec} |"
            )
    return lines


def accuracy_table(run: Run) -> list[str]:
    gt = run.truth
    names = [b.name for b in run.backends if b.accuracy]
    head = ("| start points | n | time-respecting / unbounded closure (mean size) | "
            + " | ".join(f"Qualitas {n}: recall, precision" for n in names)
            + " | networkx: recall, precision |")  # fmt: skip
    lines = [head, "|---|---:|---:|" + "---|" * (len(names) + 1)]
    for name, direction, _ in CATEGORIES:
        ss = [s for s in gt.samples if s.name == name and s.direction == direction]
        if not ss:
            continue
        ex = np.mean([len(s.exact) for s in ss])
        ub = np.mean([len(s.unbounded) for s in ss])
        cells = []
        for b in run.backends:
            if b.accuracy:
                cells.append(_score(b.accuracy.get((name, direction))))
        nx = _score(run.nx.accuracy.get((name, direction))) if run.nx else "–"
        lines.append(f"| {direction} from {name} | {len(ss)} | {ex:,.0f} / {ub:,.0f} | "
                     + " | ".join(cells) + f" | {nx} |")  # fmt: skip
    return lines


def _score(s: Score | None) -> str:
    if s is None:
        return "–"
    extra = f" ({s.fp:,} over-included)" if s.fp else ""
    missed = f" ({s.fn:,} missed)" if s.fn else ""
    return f"{s.recall:.4f}, {s.precision:.4f}{extra}{missed}"


def memory_lines(run: Run) -> list[str]:
    out = []
    for b in run.backends:
        if "engine q2" in b.memory:
            hits = b.times["q2"].rows
            out.append(f"| Qualitas Q2 (walk + node rows of {hits:,} hits), {b.name}: peak "
                       f"Python heap (tracemalloc) | {_mib(b.memory['engine q2'])} |")  # fmt: skip
        if "orm q2" in b.memory:
            out.append(f"| ORM per-node walk on Q2, {b.name}: peak Python heap (tracemalloc) "
                       f"after {b.memory['orm q2 nodes']:,} nodes (20 s cap) | "
                       f"{_mib(b.memory['orm q2'])} |")  # fmt: skip
    if run.nx:
        out.append(f"| networkx DiGraph of {run.nx.nodes:,} nodes and {run.nx.edges:,} edges "
                   f"(loaded in {run.nx.load_s:,.1f} s): peak resident-set growth of the "
                   f"process | {_mib(run.nx.memory)} |")  # fmt: skip
    out.append(f"| the whole benchmark process: peak resident set | {_mib(run.peak_rss)} |")
    return ["| what | memory |", "|---|---:|", *out]


def section(run: Run, findings: list[str], extra: dict[str, Any]) -> str:
    gt, w = run.truth, run.world
    q2 = gt.samples[gt.named["q2 raw lot"]] if "q2 raw lot" in gt.named else None
    big = gt.samples[gt.named["largest raw lot"]]
    begin, end = markers(w.preset.name)
    first = run.backends[0] if run.backends else None
    n_q1 = len(first.times["q1 warm"].seconds) if first else 0
    n_q7 = len(first.times["q7"].seconds) if first else 0
    reps = len(first.times["q3"].seconds) if first and "q3" in first.times else 0
    lines = [
        begin,
        f"## Traceability: genealogy engine (bench/trace, preset {w.preset.name})",
        "",
        "A deterministic synthetic genealogy (`bench/trace/generator.py`, seed "
        f"{w.preset.seed}) is loaded into each database; the genealogy engine "
        "(`qualitas.trace.genealogy.walk` over `SqlEdgeSource`, one statement per level) is "
        "timed against a per-node ORM walk (the Odoo/ERPNext pattern) on the same database and "
        "networkx BFS on the same graph in memory, and scored against the generator's ground "
        "truth (exact closures computed from the simulation's own records, not from the edge "
        "table).",
        "",
        *data_table(run),
        "",
        (f"Q2 starts from the raw lot whose forward closure is the smallest one above "
         f"100,000 units ({q2.units:,} units, {len(q2.exact):,} hits)" if q2 else
         "No raw lot reaches 100,000 units in this preset")
        + f"; the raw lot reaching the most units reaches {big.units:,} ({len(big.exact):,} "
        f"hits). Q3's supplier lot was delivered to several plants and is carried on by a "
        f"relabelled transfer: {extra.get('q3', '')}. Q7 starts from containers at an instant "
        "of their life (half of them exactly when a case came off or a unit was picked).",
        "",
        "### Latency (p50 / p95 in milliseconds)",
        "",
        f"Q1 over {n_q1} serials, Q2 and Q3 over {reps} repeats, Q7 over {n_q7} containers. "
        "*Cold*: the first trace on a new connection (empty SQLite page cache of that "
        "connection, new PostgreSQL backend); the operating system's file cache is not "
        "dropped. *Warm*: the same trace again on that connection. networkx times are the BFS "
        "alone on a graph already in memory (its load is under Memory). *Hits* = nodes "
        "reached other than the root (Qualitas: internal transformation nodes included).",
        "",
        *query_table(run),
        "",
        "### Baseline: per-node ORM walk (no time rules)",
        "",
        "One `select(Edge).where(Edge.src == node)` (backward: `dst`) through the ORM per node, "
        "level by level, ORM objects kept in the session, until done or the cap. A walk that "
        "hits its cap is extrapolated at the rate it reached (one query per node of the plain "
        "closure) and marked so. Its precision is that of plain reachability.",
        "",
        *orm_table(run),
        "",
        "### Accuracy against the ground truth",
        "",
        "Every sampled start point, traced by the engine through `SqlEdgeSource` on each "
        "database, compared node by node (root and transformation nodes left out) with the "
        "generator's exact time-respecting closure; recall and precision pooled over the nodes "
        "of a category. The third column is the mean size of the exact and of the unbounded "
        "(plain reachability) closure: what respecting time removes. networkx is plain "
        "reachability on the same graph. Backward from a ship-to party (what a customer "
        "received) is not among the required categories: it is where the engine is wrong "
        "(first finding).",
        "",
        *accuracy_table(run),
        "",
        "### Memory",
        "",
        *memory_lines(run),
        "",
        "### Findings",
        "",
        *findings,
        "",
        f"Command: `{run.command}` (total {run.seconds:,.0f} s: generation {run.generate_s:.0f} s, "
        f"ground truth {run.truth_s:.0f} s). Machine: {run.machine}.",
        "",
        end,
    ]  # fmt: skip
    return "\n".join(lines)


def existing_block(text: str) -> str:
    """Every trace section of a RESULTS.md text (in file order), or "" when it has none."""
    blocks = []
    for preset in PRESETS:
        begin, end = markers(preset)
        if begin in text and end in text:
            at = text.index(begin)
            blocks.append((at, begin + text.split(begin, 1)[1].split(end, 1)[0] + end))
    return "\n\n".join(b for _, b in sorted(blocks))


def splice(text: str, block: str) -> str:
    """Replace the sections of a RESULTS.md text that ``block`` holds, or append them."""
    for preset in PRESETS:
        begin, end = markers(preset)
        if begin not in block:
            continue
        part = begin + block.split(begin, 1)[1].split(end, 1)[0] + end
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            text = head + part + rest.split(end, 1)[1]
            continue
        later = [markers(p)[0] for p in PRESETS[PRESETS.index(preset) + 1 :]]
        at = min((text.index(m) for m in later if m in text), default=None)
        if at is None:
            text = text.rstrip("\n") + "\n\n" + part + "\n"
        else:
            text = text[:at] + part + "\n\n" + text[at:]
    return text
