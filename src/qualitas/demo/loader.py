"""Loads the demo plant through the regular services, so every record has its audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from qualitas.auth import users
from qualitas.auth.permissions import Role
from qualitas.auth.principal import Principal
from qualitas.auth.schemas import UserCreate
from qualitas.demo import data
from qualitas.plant import hierarchy, products, service
from qualitas.plant.models import Level
from qualitas.plant.resources import RESOURCES
from qualitas.plant.schemas import BomLineCreate, NodeCreate, RevisionCreate

Step = Callable[[str], None]


def _create(session: Session, who: Principal, resource: str, **fields: Any) -> Any:
    res = RESOURCES[resource]
    return service.create_record(session, who, res, res.create.model_validate(fields))


def _node(
    session: Session, who: Principal, level: Level, parent: int | None, code: str, name: str
) -> int:
    body = NodeCreate(level=level, parent_id=parent, code=code, name=name)
    return hierarchy.create_node(session, who, body).id


def _hierarchy(session: Session, who: Principal) -> dict[str, dict[str, Any]]:
    root = _node(session, who, Level.ENTERPRISE, None, *data.ENTERPRISE)
    sites: dict[str, dict[str, Any]] = {}
    for code, name, areas in data.SITES:
        site_id = _node(session, who, Level.SITE, root, code, name)
        stations: list[tuple[int, str]] = []
        lines: list[int] = []
        for a_code, a_name, l_code, l_name, st_names in areas:
            area = _node(session, who, Level.AREA, site_id, a_code, a_name)
            line = _node(session, who, Level.LINE, area, l_code, l_name)
            lines.append(line)
            for st in st_names:
                op = st.split(" ", 1)[0]
                stations.append(
                    (_node(session, who, Level.STATION, line, f"{l_code}-{op}", st), st)
                )
        sites[code] = {"id": site_id, "stations": stations, "lines": lines}
    return sites


def _equipment_and_gauges(
    session: Session, who: Principal, code: str, site: dict[str, Any], today: dt.date
) -> None:
    for i, (station_id, st_name) in enumerate(site["stations"], start=1):
        word = st_name.split(" ", 1)[1].split(" ")[0]
        _create(
            session,
            who,
            "equipment",
            site_id=site["id"],
            node_id=station_id,
            code=f"{code}-EQ{i:02d}",
            name=f"{data.EQUIPMENT_KINDS[word]} {i:02d}",
            kind=data.EQUIPMENT_KINDS[word],
            manufacturer="DMG Mori" if i % 2 else "Bosch Rexroth",
            model=f"M{100 + i}",
            serial_no=f"{code}{2024000 + i}",
        )
    for g_code, name, g_type, unit, lo, hi, res, interval, age in data.GAUGES:
        last = today - dt.timedelta(days=age)
        status = "out_of_calibration" if age > interval else "in_service"
        _create(
            session,
            who,
            "gauges",
            site_id=site["id"],
            code=f"{code}-{g_code}",
            name=name,
            gauge_type=g_type,
            unit=unit,
            range_min=lo,
            range_max=hi,
            resolution=res,
            calibration_interval_days=interval,
            last_calibrated_on=last,
            status=status,
        )


def _products(session: Session, who: Principal, code: str, site: dict[str, Any]) -> None:
    items: dict[str, int] = {}
    for m_code, name, unit in data.MATERIALS[code] + data.TRADED.get(code, []):
        items[m_code] = _create(
            session,
            who,
            "items",
            site_id=site["id"],
            kind="material",
            code=m_code,
            name=name,
            unit=unit,
            gtin=data.GTINS.get(m_code),
        ).id
    for p_index, (p_code, name, bom_lines) in enumerate(data.PRODUCTS[code]):
        item = _create(
            session,
            who,
            "items",
            site_id=site["id"],
            kind="product",
            code=p_code,
            name=name,
            gtin=data.GTINS.get(p_code),
        )
        items[p_code] = item.id
        rev = products.create_revision(
            session,
            who,
            item.id,
            RevisionCreate(
                revision="A",
                status="released",
                effective_from=dt.date(2026, 1, 5),
                change_note="Initial release",
                reason="Initial release of the product",
            ),
        )
        for pos, (comp, qty) in enumerate(bom_lines, start=1):
            products.add_bom_line(
                session,
                who,
                rev.id,
                BomLineCreate(
                    component_item_id=items[comp],
                    quantity=qty,
                    position=pos * 10,
                    reason="Initial BOM",
                ),
            )
        line = site["lines"][p_index % len(site["lines"])]
        for c in data.CHARACTERISTICS:
            suffix, c_name, kind, c_unit, nominal, lsl, usl, special, gauge = c
            _create(
                session,
                who,
                "characteristics",
                site_id=site["id"],
                item_id=item.id,
                operation_node_id=line,
                operation=f"OP{10 * (1 + p_index % 6)}",
                code=f"{p_code}-{suffix}",
                name=c_name,
                kind=kind,
                unit=c_unit,
                nominal=nominal,
                lsl=lsl,
                usl=usl,
                special_class=special,
                gauge_type=gauge,
            )


def _partners(session: Session, who: Principal, code: str, site_id: int) -> None:
    for s_code, name, country, status in data.SUPPLIERS[code]:
        _create(
            session,
            who,
            "suppliers",
            site_id=site_id,
            code=s_code,
            name=name,
            country=country,
            status=status,
            contact_email=f"quality@{s_code.lower()}.example.com",
        )
    for c_code, name, country in data.CUSTOMERS[code]:
        _create(
            session,
            who,
            "customers",
            site_id=site_id,
            code=c_code,
            name=name,
            country=country,
            contact_email=f"sqe@{c_code.lower()}.example.com",
        )


def _users(
    session: Session, who: Principal, sites: dict[str, dict[str, Any]]
) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for username, full_name, role, site_code, password in data.USERS:
        user = users.create_user(
            session,
            who,
            UserCreate(
                username=username,
                full_name=full_name,
                email=f"{username}@acme.example.com",
                locale="zh-CN" if site_code == "SUZ" else "en",
                password=password,
                must_change_password=False,
            ),
        )
        site_id = sites[site_code]["id"] if site_code else None
        users.grant_role(session, who, user.id, Role(role), site_id, reason="Demo set-up")
        out.append((username, password, role, site_code or "all sites"))
    return out


def load(
    session: Session, step: Step | None = None, today: dt.date | None = None
) -> list[tuple[str, ...]]:
    """Load the whole demo plant; returns (username, password, role, scope) per demo user."""
    who = Principal.system("demo-loader")
    today = today or dt.date.today()
    report = step or (lambda _msg: None)
    report("plant hierarchy")
    sites = _hierarchy(session, who)
    for code, site in sites.items():
        report(f"equipment and gauges of {code}")
        _equipment_and_gauges(session, who, code, site, today)
        report(f"products, BOMs and characteristics of {code}")
        _products(session, who, code, site)
        report(f"suppliers and customers of {code}")
        _partners(session, who, code, site["id"])
    report("control plan, Phase I history and limit sets")
    from qualitas.demo import spc_demo

    spc_demo.load_spc(session, who)
    report("genealogy: receipts, production, packing, shipping (EPCIS events)")
    from qualitas.demo import trace_demo

    trace_demo.load_trace(session, who.actor, today)
    report("users")
    return _users(session, who, sites)
