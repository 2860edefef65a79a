"""The authenticated caller of a request, CLI command or worker."""

from __future__ import annotations

from dataclasses import dataclass

from qualitas.auth.permissions import Grant, Permission, Role, Scope
from qualitas.errors import Forbidden, NotFound
from qualitas.ledger.service import Actor


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    username: str
    full_name: str
    scope: Scope
    via: str  # "session" | "token" | "system"
    session_id: int | None = None
    csrf_token: str | None = None
    password_change_required: bool = False
    mfa_setup_required: bool = False

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.username)

    @classmethod
    def system(cls, name: str = "system") -> Principal:
        """Unrestricted principal for CLI maintenance commands."""
        return cls(None, name, name, Scope.of([Grant(Role.ADMIN, None)]), "system")

    def require(self, perm: Permission, site_id: int | None = None) -> None:
        """Raise 403 unless ``perm`` is held for ``site_id`` (or anywhere, if site_id is None)."""
        ok = self.scope.can(perm, site_id) if site_id is not None else self.scope.can_anywhere(perm)
        if not ok:
            raise Forbidden(detail=f"permission {perm} is required", code="forbidden")

    def require_global(self, perm: Permission) -> None:
        if not self.scope.can(perm, None):
            raise Forbidden(detail=f"permission {perm} for all sites is required", code="forbidden")

    def require_visible(self, perm: Permission, site_id: int | None, what: str) -> None:
        """Hide records of sites the principal may not see: 404, as if absent."""
        if site_id is None:
            if not self.scope.can(perm, None):
                raise NotFound(detail=f"{what} not found")
            return
        if not self.scope.can(perm, site_id):
            raise NotFound(detail=f"{what} not found")
