"""Stapportaal: the case and document portal of the Stapteam Nijmegen."""

from __future__ import annotations

import importlib
from pathlib import Path

from flask import Flask, g

from portal.config import PROJECT_ROOT, load_config
from portal.extensions import csrf, db, limiter, login_manager, migrate
from portal.uploads import PortalRequest

FEATURES = ("main", "auth", "admin", "audit", "clients", "referrals", "documents", "letters",
            "partners", "registrations", "notifications", "plans", "hours", "budget",
            "verantwoording", "privacy")


def create_app(config: dict | None = None) -> Flask:
    """Build the application; importing the package has no side effects."""
    settings = load_config(config)
    app = Flask(__name__, instance_path=settings["INSTANCE_PATH"],
                template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"))
    app.request_class = PortalRequest
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    register_proxy(app)
    register_input(app)
    register_extensions(app)
    register_access_policy(app)
    register_blueprints(app)
    register_templates(app)
    register_hardening(app)
    register_jobs(app)
    register_cli(app)
    return app


def register_proxy(app: Flask) -> None:
    """Behind a reverse proxy, trust its X-Forwarded-* headers (rate limits, audit addresses)."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_input(app: Flask) -> None:
    """Bounded ids in URLs and storable text only, before any rule or view sees the request."""
    from portal.converters import register_input_rules

    register_input_rules(app)


def register_extensions(app: Flask) -> None:
    from portal.audit import services as audit
    from portal.database import configure_engine

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    audit.init_app()
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    limiter.init_app(app)
    register_login(app)


def register_login(app: Flask) -> None:
    from portal.auth.views import load_user_from_session

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te openen."
    login_manager.login_message_category = "warning"
    login_manager.session_protection = None  # the server-side session row is the protection
    login_manager.user_loader(load_user_from_session)


def register_access_policy(app: Flask) -> None:
    # Registered before CSRFProtect so an unauthorised request is refused on access
    # grounds (and audited) before its form is looked at.
    from portal.access import enforce_route_policy

    app.before_request(enforce_route_policy)
    csrf.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Each feature package defines its blueprint; its view modules add the routes."""
    for name in FEATURES:
        feature = importlib.import_module(f"portal.{name}")
        for module in feature.VIEWS:
            importlib.import_module(f"portal.{name}.{module}")
        app.register_blueprint(feature.bp)


def register_templates(app: Flask) -> None:
    from portal import access
    from portal.navigation import Menu
    from portal.roles import Role
    from portal.templating import register_filters

    register_filters(app)

    @app.context_processor
    def navigation():
        from flask_login import current_user

        return {"main_menu": Menu.of(current_user),
                "attention_count": _attention_count,
                "unread_count": _unread_count,
                "current_session": g.get("user_session"), "access": access, "roles": Role}


def _attention_count() -> int | None:
    """The menu count of Vandaag, computed only when a page draws the menu."""
    counts = _menu_counts()
    return counts.waiting if counts else None


def _unread_count() -> int | None:
    """Unread notifications she may still see, for the menu."""
    counts = _menu_counts()
    return counts.unread if counts else None


def _menu_counts():
    """A failure shows no count instead of breaking the page it decorates."""
    from flask import current_app
    from flask_login import current_user

    from portal.main.attention import menu_counts

    try:
        return menu_counts(current_user)
    except Exception:  # noqa: BLE001
        current_app.logger.exception("menu counts failed")
        return None


def register_hardening(app: Flask) -> None:
    from portal.errors import register_error_handlers
    from portal.security import register_security_headers

    register_security_headers(app)
    register_error_handlers(app)


def register_jobs(app: Flask) -> None:
    from portal import jobs

    jobs.init_app(app)


def register_cli(app: Flask) -> None:
    from portal.cli import portal_cli

    app.cli.add_command(portal_cli)
