"""Roles, permissions and site scopes (pure, no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualitas.auth.permissions import GLOBAL_ONLY, ROLE_PERMISSIONS, Grant, Permission, Role, Scope
from qualitas.auth.principal import Principal
from qualitas.errors import Forbidden, NotFound

P = Permission
SUZ, STR = 11, 12


def test_every_role_has_an_entry_and_admin_holds_everything() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(Permission)
    assert ROLE_PERMISSIONS[Role.SUPPLIER] == frozenset()
    assert P.USERS_ADMIN in GLOBAL_ONLY
    holders = {r for r, perms in ROLE_PERMISSIONS.items() if P.USERS_ADMIN in perms}
    assert holders == {Role.ADMIN}


def test_site_grant_applies_only_at_that_site() -> None:
    scope = Scope.of([Grant(Role.QUALITY_ENGINEER, SUZ)])
    assert scope.can(P.MASTER_WRITE, SUZ)
    assert not scope.can(P.MASTER_WRITE, STR)
    assert not scope.can(P.MASTER_WRITE, None)  # None asks for all sites
    assert not scope.can(P.HIERARCHY_WRITE, SUZ)  # not in the role
    assert scope.can_anywhere(P.MASTER_WRITE)
    assert not scope.can_anywhere(P.HIERARCHY_WRITE)
    assert scope.sites_with(P.MASTER_WRITE) == frozenset({SUZ})
    assert scope.sites_with(P.HIERARCHY_WRITE) == frozenset()
    assert scope.permissions() == ROLE_PERMISSIONS[Role.QUALITY_ENGINEER]


def test_global_grant_applies_everywhere() -> None:
    scope = Scope.of([Grant(Role.AUDITOR, None)])
    for site in (None, SUZ, STR, 999):
        assert scope.can(P.AUDIT_READ, site)
        assert not scope.can(P.MASTER_WRITE, site)
    assert scope.sites_with(P.AUDIT_READ) is None  # every site
    assert scope.sites_with(P.MASTER_WRITE) == frozenset()


def test_global_only_permission_is_not_granted_through_a_site_grant() -> None:
    site_admin = Scope.of([Grant(Role.ADMIN, SUZ)])
    assert not site_admin.can(P.USERS_ADMIN, SUZ)
    assert not site_admin.can(P.USERS_ADMIN, None)
    assert not site_admin.can_anywhere(P.USERS_ADMIN)
    assert site_admin.sites_with(P.USERS_ADMIN) == frozenset()
    assert P.USERS_ADMIN not in site_admin.permissions()
    for perm in set(Permission) - GLOBAL_ONLY:
        assert site_admin.can(perm, SUZ) and not site_admin.can(perm, STR)
    glob = Scope.of([Grant(Role.ADMIN, None)])
    assert glob.can(P.USERS_ADMIN, None) and glob.can(P.USERS_ADMIN, SUZ)


def test_grants_at_several_sites_and_globally_combine() -> None:
    scope = Scope.of(
        [
            Grant(Role.INSPECTOR, SUZ),
            Grant(Role.QUALITY_MANAGER, STR),
            Grant(Role.AUDITOR, None),
        ]
    )
    assert scope.sites_with(P.MASTER_READ) is None  # the auditor role reads everywhere
    assert scope.sites_with(P.MASTER_WRITE) == frozenset({STR})
    assert scope.sites_with(P.HIERARCHY_WRITE) == frozenset({STR})
    assert scope.can(P.AUDIT_READ, SUZ)
    assert not scope.can(P.MASTER_WRITE, SUZ)
    assert scope.permissions() == (
        ROLE_PERMISSIONS[Role.QUALITY_MANAGER] | ROLE_PERMISSIONS[Role.AUDITOR]
    )


def test_no_grants_means_no_permissions() -> None:
    scope = Scope.of([])
    assert scope.permissions() == frozenset()
    assert all(not scope.can_anywhere(p) and scope.sites_with(p) == frozenset() for p in Permission)


def principal(*grants: Grant) -> Principal:
    return Principal(7, "someone", "Some One", Scope.of(grants), "session")


def test_principal_require_helpers() -> None:
    qe = principal(Grant(Role.QUALITY_ENGINEER, SUZ))
    qe.require(P.MASTER_WRITE)  # somewhere is enough without a site
    qe.require(P.MASTER_WRITE, SUZ)
    with pytest.raises(Forbidden) as denied:
        qe.require(P.MASTER_WRITE, STR)
    assert denied.value.code == "forbidden" and denied.value.status == 403
    with pytest.raises(Forbidden):
        qe.require_global(P.MASTER_READ)
    with pytest.raises(Forbidden):
        principal(Grant(Role.ADMIN, SUZ)).require_global(P.USERS_ADMIN)
    principal(Grant(Role.ADMIN, None)).require_global(P.USERS_ADMIN)


def test_records_of_other_sites_look_absent() -> None:
    qe = principal(Grant(Role.QUALITY_ENGINEER, SUZ))
    qe.require_visible(P.MASTER_READ, SUZ, "item")
    with pytest.raises(NotFound) as hidden:
        qe.require_visible(P.MASTER_READ, STR, "item")
    assert hidden.value.status == 404 and "item" in hidden.value.detail
    with pytest.raises(NotFound):
        qe.require_visible(P.MASTER_READ, None, "supplier")  # records of all sites
    principal(Grant(Role.AUDITOR, None)).require_visible(P.MASTER_READ, None, "supplier")


def test_system_principal_is_unrestricted() -> None:
    system = Principal.system("migrate")
    assert system.actor.name == "migrate" and system.actor.user_id is None
    assert all(system.scope.can(p, None) for p in Permission)


site_grants = st.lists(
    st.builds(Grant, st.sampled_from(list(Role)), st.integers(1, 20)), max_size=8
)
permissions = st.sampled_from(list(Permission))


@given(site_grants, permissions, st.integers(1, 40))
def test_site_grants_never_reach_another_site(
    grants: list[Grant], perm: Permission, site: int
) -> None:
    scope = Scope.of(grants)
    granted_here = any(g.site_id == site and perm in ROLE_PERMISSIONS[g.role] for g in grants)
    assert scope.can(perm, site) == (granted_here and perm not in GLOBAL_ONLY)
    assert not scope.can(perm, None)
    sites = scope.sites_with(perm)
    assert sites is not None
    assert sites <= {g.site_id for g in grants}
    assert (site in sites) == scope.can(perm, site)


@given(site_grants, site_grants, permissions, st.integers(1, 20))
def test_more_grants_never_take_a_permission_away(
    first: list[Grant], more: list[Grant], perm: Permission, site: int
) -> None:
    if Scope.of(first).can(perm, site):
        assert Scope.of(first + more).can(perm, site)


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_permission_has_a_label_in_the_web_app(locale: str) -> None:
    """The roles and account pages name permissions in words, in both languages."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "web" / "src" / "i18n" / f"{locale}.json"
    labels = json.loads(path.read_text(encoding="utf-8"))["permissions"]
    assert sorted(labels) == sorted(p.value for p in Permission)
    assert all(text.strip() for text in labels.values())
