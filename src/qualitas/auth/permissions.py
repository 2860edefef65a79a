"""Roles and permissions as data. Every grant is for one site, or for all sites.

A permission held through a site grant applies only to records of that site. Permissions
marked global in :data:`GLOBAL_ONLY` apply only when held through an all-sites grant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "GLOBAL_ONLY",
    "ROLE_PERMISSIONS",
    "Grant",
    "Permission",
    "Role",
    "Scope",
]


class Role(StrEnum):
    OPERATOR = "operator"
    INSPECTOR = "inspector"
    QUALITY_ENGINEER = "quality_engineer"
    QUALITY_MANAGER = "quality_manager"
    SUPPLIER = "supplier"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    MASTER_READ = "master.read"
    MASTER_WRITE = "master.write"
    HIERARCHY_WRITE = "hierarchy.write"
    IMPORT_RUN = "import.run"
    AUDIT_READ = "audit.read"
    USERS_ADMIN = "users.admin"
    MEASURE_WRITE = "measure.write"
    SPC_WRITE = "spc.write"
    ALARM_HANDLE = "alarm.handle"
    INSPECTION_DECIDE = "inspection.decide"
    TRACE_READ = "trace.read"
    TRACE_CAPTURE = "trace.capture"
    TRACE_HOLD = "trace.hold"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OPERATOR: frozenset(
        {P.MASTER_READ, P.MEASURE_WRITE, P.ALARM_HANDLE, P.TRACE_READ, P.TRACE_CAPTURE}
    ),
    Role.INSPECTOR: frozenset(
        {
            P.MASTER_READ,
            P.MEASURE_WRITE,
            P.ALARM_HANDLE,
            P.INSPECTION_DECIDE,
            P.TRACE_READ,
            P.TRACE_CAPTURE,
        }
    ),
    Role.QUALITY_ENGINEER: frozenset(
        {
            P.MASTER_READ,
            P.MASTER_WRITE,
            P.IMPORT_RUN,
            P.AUDIT_READ,
            P.MEASURE_WRITE,
            P.SPC_WRITE,
            P.ALARM_HANDLE,
            P.INSPECTION_DECIDE,
            P.TRACE_READ,
            P.TRACE_CAPTURE,
            P.TRACE_HOLD,
        }
    ),
    Role.QUALITY_MANAGER: frozenset(
        {
            P.MASTER_READ,
            P.MASTER_WRITE,
            P.IMPORT_RUN,
            P.AUDIT_READ,
            P.HIERARCHY_WRITE,
            P.MEASURE_WRITE,
            P.SPC_WRITE,
            P.ALARM_HANDLE,
            P.INSPECTION_DECIDE,
            P.TRACE_READ,
            P.TRACE_CAPTURE,
            P.TRACE_HOLD,
        }
    ),
    Role.SUPPLIER: frozenset(),
    Role.AUDITOR: frozenset({P.MASTER_READ, P.AUDIT_READ, P.TRACE_READ}),
    Role.ADMIN: frozenset(set(Permission)),
}

# Administering users, and verifying the whole audit chain, span every site.
GLOBAL_ONLY: frozenset[Permission] = frozenset({P.USERS_ADMIN})


@dataclass(frozen=True)
class Grant:
    role: Role
    site_id: int | None  # None = all sites


@dataclass(frozen=True)
class Scope:
    """The effective permissions of one principal, per site."""

    grants: tuple[Grant, ...]
    _global: frozenset[Permission] = field(init=False)
    _by_site: dict[int, frozenset[Permission]] = field(init=False)

    def __post_init__(self) -> None:
        glob: set[Permission] = set()
        by_site: dict[int, set[Permission]] = {}
        for g in self.grants:
            perms = ROLE_PERMISSIONS[g.role]
            if g.site_id is None:
                glob |= perms
            else:
                by_site.setdefault(g.site_id, set()).update(perms - GLOBAL_ONLY)
        object.__setattr__(self, "_global", frozenset(glob))
        object.__setattr__(self, "_by_site", {k: frozenset(v) for k, v in by_site.items()})

    @classmethod
    def of(cls, grants: Iterable[Grant]) -> Scope:
        return cls(tuple(grants))

    def can(self, perm: Permission, site_id: int | None = None) -> bool:
        """True if ``perm`` is held for ``site_id`` (None asks for an all-sites grant)."""
        if perm in self._global:
            return True
        if site_id is None:
            return False
        return perm in self._by_site.get(site_id, frozenset())

    def can_anywhere(self, perm: Permission) -> bool:
        return perm in self._global or any(perm in p for p in self._by_site.values())

    def sites_with(self, perm: Permission) -> frozenset[int] | None:
        """Site ids where ``perm`` holds; None means every site."""
        if perm in self._global:
            return None
        return frozenset(s for s, p in self._by_site.items() if perm in p)

    def permissions(self) -> frozenset[Permission]:
        merged = set(self._global)
        for perms in self._by_site.values():
            merged |= perms
        return frozenset(merged)
