"""Every setting of the portal, read from the environment with safe local defaults."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"

WEAK_SECRET_KEYS = {"", "dev", "change-me", "secret", "changeme", "development"}
MIN_SECRET_KEY_LENGTH = 32
FILE_STORES = ("filesystem", "database")


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the portal refuses to start."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _local_secret(instance: Path, filename: str, nbytes: int) -> str:
    """Read a secret from instance/, creating it (mode 0600) on first use."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / filename
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(nbytes))
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(overrides: dict | None = None) -> dict:
    """Build the configuration mapping from the environment plus explicit overrides."""
    overrides = dict(overrides or {})
    instance = Path(overrides.get("INSTANCE_PATH") or os.environ.get("PORTAL_INSTANCE_PATH")
                    or DEFAULT_INSTANCE)
    env = overrides.get("PORTAL_ENV") or os.environ.get("PORTAL_ENV", "development")
    production = env == "production"

    config: dict = {
        "PORTAL_ENV": env,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "PORTAL_FILE_KEY": os.environ.get("PORTAL_FILE_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'stapportaal.db'}")
        ),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(PROJECT_ROOT / "uploads")),
        # Where encrypted files live: "filesystem" (UPLOAD_FOLDER) or "database" (PostgreSQL).
        "FILE_STORE": os.environ.get("FILE_STORE", "filesystem").strip().lower(),
        # Several app hosts on one PostgreSQL and one Redis, with nothing else shared.
        "PORTAL_MULTI_HOST": _flag("PORTAL_MULTI_HOST", False),
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_MB", 25) * 1024 * 1024,
        # Scans: refused above this many pixels, judged on the declared size before decoding.
        "MAX_IMAGE_PIXELS": _int("MAX_IMAGE_MEGAPIXELS", 50) * 1_000_000,
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # Job queue: Redis when REDIS_URL is set, else instance/jobs.db; immediate runs tasks
        # in-process right after the enqueuing commit (the tests).
        "JOBS_IMMEDIATE": _flag("JOBS_IMMEDIATE", False),
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 587),
        "MAIL_USE_STARTTLS": _flag("MAIL_USE_STARTTLS", True),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "stapportaal@localhost"),
        # Sessions: server-side rows, idle and absolute limits.
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=_int("SESSION_IDLE_MINUTES", 30)),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=_int("SESSION_ABSOLUTE_HOURS", 12)),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_int("SESSION_ABSOLUTE_HOURS", 12)),
        "SESSION_COOKIE_NAME": "stapportaal_sessie",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_DURATION": timedelta(0),
        # Login protection.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "20 per minute"),
        "LOCKOUT_THRESHOLD": _int("LOCKOUT_THRESHOLD", 5),
        "LOCKOUT_MINUTES": _int("LOCKOUT_MINUTES", 15),
        "PENDING_LOGIN_SECONDS": 300,
        # Argon2id parameters (argon2-cffi defaults follow RFC 9106's low-memory profile).
        "ARGON2_TIME_COST": _int("ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int("ARGON2_MEMORY_COST", 65536),
        "ARGON2_PARALLELISM": _int("ARGON2_PARALLELISM", 4),
        "TOTP_ISSUER": os.environ.get("TOTP_ISSUER", "Stapportaal"),
        "PAGE_SIZE": _int("PAGE_SIZE", 25),
        "REFERRAL_RETENTION_DAYS": _int("REFERRAL_RETENTION_DAYS", 42),
        "TRASH_DAYS": _int("TRASH_DAYS", 30),
        "LETTER_KENMERK_FORMAT": os.environ.get("LETTER_KENMERK_FORMAT",
                                                "STAP/{year}/{number:04d}"),
        # Rendering one letter from a template: at most this long and this much text.
        "LETTER_RENDER_SECONDS": _int("LETTER_RENDER_SECONDS", 10),
        "LETTER_RENDER_MAX_CHARS": _int("LETTER_RENDER_MAX_CHARS", 5_000_000),
        # Mail letters as PDF/A when LibreOffice is installed (off: the .docx goes).
        "LETTER_MAIL_PDF": _flag("LETTER_MAIL_PDF", True),
        "OUTBOX_MAX_ATTEMPTS": _int("OUTBOX_MAX_ATTEMPTS", 8),
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000"),
        # Registrations: defaults until the beheerder saves the registration settings.
        "REGISTRATION_NUMBER_FORMAT": os.environ.get("REGISTRATION_NUMBER_FORMAT",
                                                     "TZ-{year}-{number:03d}"),
        "REGISTRATION_MODES": [m.strip() for m in os.environ.get(
            "REGISTRATION_MODES", "persoonlijk,dagpas").split(",") if m.strip()],
        "REGISTRATION_VALIDITY_MONTHS": _int("REGISTRATION_VALIDITY_MONTHS", 12),
        "REGISTRATION_REMINDER_DAYS": _int("REGISTRATION_REMINDER_DAYS", 30),
        "DAY_PASS_MAX": _int("DAY_PASS_MAX", 20),
        # ZRM: a reassessment falls due this many months after the latest assessment.
        "ZRM_REASSESSMENT_MONTHS": _int("ZRM_REASSESSMENT_MONTHS", 3),
        # Hours: one's own entries change freely this many days after the day worked.
        "HOURS_EDIT_WINDOW_DAYS": _int("HOURS_EDIT_WINDOW_DAYS", 14),
        # Vandaag (start page): what counts as quiet, new, due or a burst.
        "ATTENTION_QUIET_DAYS": _int("ATTENTION_QUIET_DAYS", 14),
        "ATTENTION_RECENT_DAYS": _int("ATTENTION_RECENT_DAYS", 14),
        # How long the menu's Vandaag count is kept on a session before it is counted again.
        "ATTENTION_COUNT_SECONDS": _int("ATTENTION_COUNT_SECONDS", 60),
        "ATTENTION_MONITORING_REVIEW_DAYS": _int("ATTENTION_MONITORING_REVIEW_DAYS", 90),
        "ATTENTION_UNUSED_ACCOUNT_DAYS": _int("ATTENTION_UNUSED_ACCOUNT_DAYS", 90),
        "ATTENTION_DENIAL_BURST": _int("ATTENTION_DENIAL_BURST", 5),
        # Stand van zaken voor publicatie: counts below this are hidden (Woo art. 5.1.2e);
        # 0 is shown as 0 only when WOO_SHOW_ZERO is set.
        "WOO_SUPPRESSION_THRESHOLD": _int("WOO_SUPPRESSION_THRESHOLD", 5),
        "WOO_SHOW_ZERO": _flag("WOO_SHOW_ZERO", False),
        # Four eyes: who approves a power that opens dossiers (procesregisseur and/or
        # privacyfunctionaris), and how long an enrolment link lives.
        "FOUR_EYES_APPROVER_ROLES": [r.strip() for r in os.environ.get(
            "FOUR_EYES_APPROVER_ROLES", "procesregisseur,privacyfunctionaris").split(",")
            if r.strip()],
        "ENROLMENT_LINK_HOURS": _int("ENROLMENT_LINK_HOURS", 72),
        # A client's access report ("Wie heeft mijn dossier ingezien") names staff only if on.
        "ACCESS_REPORT_SHOW_NAMES": _flag("ACCESS_REPORT_SHOW_NAMES", False),
        "RETENTION_DIAGNOSTICS_YEARS": _int("RETENTION_DIAGNOSTICS_YEARS", 20),
        "RETENTION_DOSSIER_YEARS": _int("RETENTION_DOSSIER_YEARS", 15),
        # A finished registration (tippelzone) is kept this long after its end (the
        # municipality sets the term); until then it keeps her identity from erasure.
        "REGISTRATION_RETENTION_YEARS": _int("REGISTRATION_RETENTION_YEARS", 2),
        # Audit events are destroyed after this many years (never fewer than five: the
        # retention run keeps them at least that long whatever is set here).
        "AUDIT_RETENTION_YEARS": _int("AUDIT_RETENTION_YEARS", 15),
        # A released inzage pack (art. 15 AVG) is destroyed this many days after release.
        "INZAGE_PACK_DAYS": _int("INZAGE_PACK_DAYS", 30),
        "WTF_CSRF_ENABLED": True,
        "WTF_I18N_ENABLED": False,  # WTForms' own Dutch messages (DutchForm.Meta.locales)
        "WTF_CSRF_TIME_LIMIT": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }
    config.update(overrides)
    _check_file_store(config)
    if config["PORTAL_MULTI_HOST"]:
        _check_multi_host(config)
    _fill_secrets(config, instance, production)
    return config


def _check_file_store(config: dict) -> None:
    if config["FILE_STORE"] not in FILE_STORES:
        raise ConfigError(f"FILE_STORE={config['FILE_STORE']!r} bestaat niet: kies "
                          "'filesystem' of 'database'.")
    if config["FILE_STORE"] == "database" and not _on_postgresql(config):
        raise ConfigError("FILE_STORE=database werkt alleen met PostgreSQL: zet DATABASE_URL "
                          "op een postgresql://-adres, of gebruik FILE_STORE=filesystem.")


def _check_multi_host(config: dict) -> None:
    """Several hosts share only PostgreSQL and Redis: every secret comes from the environment
    (a secret made in one host's instance/ would differ per host), files live in the database
    and the queue and rate limits in Redis."""
    missing = []
    if not _on_postgresql(config):
        missing.append("DATABASE_URL (een postgresql://-adres)")
    if config["FILE_STORE"] != "database":
        missing.append("FILE_STORE=database")
    if not config["REDIS_URL"]:
        missing.append("REDIS_URL")
    if len(config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH or \
            config["SECRET_KEY"] in WEAK_SECRET_KEYS:
        missing.append(f"SECRET_KEY (minstens {MIN_SECRET_KEY_LENGTH} willekeurige tekens)")
    if not _is_hex_key(config["PORTAL_FILE_KEY"]):
        missing.append("PORTAL_FILE_KEY (64 hexadecimale tekens)")
    if missing:
        raise ConfigError("PORTAL_MULTI_HOST vraagt dezelfde instellingen op elke host, uit de "
                          "omgeving: ontbreekt of ongeldig: " + "; ".join(missing) + ".")


def _on_postgresql(config: dict) -> bool:
    return config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def _fill_secrets(config: dict, instance: Path, production: bool) -> None:
    """Refuse weak secrets in production; create local ones in instance/ otherwise."""
    key = config["SECRET_KEY"]
    if production:
        if key in WEAK_SECRET_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                f"SECRET_KEY ontbreekt of is te zwak: gebruik minstens {MIN_SECRET_KEY_LENGTH} "
                "willekeurige tekens (bijvoorbeeld: python -c 'import secrets; "
                "print(secrets.token_hex(32))')."
            )
        if not _is_hex_key(config["PORTAL_FILE_KEY"]):
            raise ConfigError("PORTAL_FILE_KEY ontbreekt: geef 64 hexadecimale tekens (32 bytes).")
        if not config["PORTAL_BASE_URL"].startswith("https://"):
            raise ConfigError("PORTAL_BASE_URL ontbreekt: geef het https-adres waarop medewerkers "
                              "het portaal openen; links in herinneringsmails beginnen ermee.")
        return
    if not key:
        config["SECRET_KEY"] = _local_secret(instance, "secret_key", 32)
    if not config["PORTAL_FILE_KEY"]:
        config["PORTAL_FILE_KEY"] = _local_secret(instance, "file_key", 32)


def _is_hex_key(value: str) -> bool:
    try:
        return len(bytes.fromhex(value)) == 32
    except ValueError:
        return False
