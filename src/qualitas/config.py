"""One typed settings tree. Environment prefix ``QUALITAS_``; nested fields use ``__``.

Examples: ``QUALITAS_DATABASE_URL``, ``QUALITAS_SECURITY__POLICY_PROFILE=djbh3``.
No other module reads the environment.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class PolicyProfileName(StrEnum):
    """Security policy profile chosen by configuration."""

    ASVS_L2 = "asvs-l2"
    DJBH3 = "djbh3"


class SecuritySettings(BaseModel):
    """Authentication and session settings."""

    policy_profile: PolicyProfileName = Field(
        PolicyProfileName.ASVS_L2,
        description="asvs-l2 (OWASP ASVS 5.0 L2) or djbh3 (GB/T 22239-2019 level 3).",
    )
    cookie_secure: bool = Field(
        True, description="Send the session cookie only over HTTPS (set false for plain-HTTP demo)."
    )
    lockout_threshold: int = Field(5, ge=1, description="Failed logins before lockout.")
    lockout_minutes: int = Field(15, ge=1, description="Lockout duration in minutes.")
    api_token_max_days: int = Field(365, ge=1, description="Longest lifetime of an API token.")
    argon2_time_cost: int = Field(3, ge=1, description="argon2id iterations (RFC 9106: 3).")
    argon2_memory_kib: int = Field(65536, ge=8, description="argon2id memory in KiB (64 MiB).")


class InspectionSettings(BaseModel):
    """Inspection execution settings."""

    gauge_policy: Literal["warn", "block"] = Field(
        "warn", description="A gauge out of calibration: warn on entry, or block the result."
    )


class TraceSettings(BaseModel):
    """Traceability settings."""

    epcis_schema_dir: Path | None = Field(
        None,
        description=(
            "Folder holding the GS1 EPCIS 2.0 artefacts (EPCIS-JSON-Schema.json and "
            "XSD/EPCglobal-epcis-2_0.xsd from https://ref.gs1.org/standards/epcis/artefacts); "
            "when set, every captured document is also validated against them."
        ),
    )
    resolver_base: str = Field(
        "http://127.0.0.1:8000",
        description="Public base URL in GS1 Digital Link QR codes (…/01/{GTIN}/21/{serial}).",
    )
    public_fields: list[str] = Field(
        default_factory=lambda: ["product", "lot", "serial", "made_at", "site", "status"],
        description="Device-history fields shown on the public page reached by QR code.",
    )
    max_page: int = Field(1000, ge=1, description="Largest perPage of an EPCIS query.")


class EventSettings(BaseModel):
    """Outbox dispatcher settings."""

    dispatch_inline: bool = Field(
        True, description="Deliver outbox events to in-process subscribers right after commit."
    )
    max_attempts: int = Field(10, ge=1, description="Attempts before an event is parked.")


class Settings(BaseSettings):
    """The root of the settings tree."""

    model_config = SettingsConfigDict(
        env_prefix="QUALITAS_", env_nested_delimiter="__", extra="ignore"
    )

    database_url: str = Field(
        f"sqlite:///{ROOT / 'var' / 'qualitas.db'}",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db.",
    )
    attachments_dir: Path = Field(ROOT / "var" / "attachments", description="Attachment store.")
    web_dist: Path = Field(ROOT / "web" / "dist", description="Built web app served at /.")
    log_sql: bool = Field(False, description="Echo SQL statements.")
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    events: EventSettings = Field(default_factory=EventSettings)
    inspection: InspectionSettings = Field(default_factory=InspectionSettings)
    trace: TraceSettings = Field(default_factory=TraceSettings)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once from the environment)."""
    return Settings()
