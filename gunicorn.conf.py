"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (or `make serve`).

Everything that differs between hosts comes from the environment, like the portal's own
settings (portal/config.py); a one-off override goes through gunicorn's GUNICORN_CMD_ARGS.

  PORTAL_BIND          address to listen on (default 127.0.0.1:8000: only the local reverse
                       proxy talks to gunicorn; TLS ends at the proxy)
  WEB_CONCURRENCY      number of workers (default 2 x usable cores + 1, at most 12)
  PORTAL_ACCESS_LOG    access log file, "-" for stdout (the default), empty for none
  PORTAL_PIDFILE       write the master's pid here, for `kill -HUP "$(cat $PORTAL_PIDFILE)"`
  FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-Proto gunicorn believes (gunicorn's own
                       default, 127.0.0.1 and ::1, when unset)

The logs must never hold what users search for: search terms and werknamen travel in the
query string (?zoek=, ?q=), so the access log records the path only, drops the Referer, and
both logs pass through a filter that cuts any query string and enrolment-link token that
would still reach them (gunicorn names the full request URI in some error messages).
"""

from __future__ import annotations

import logging
import os
import re

from gunicorn.glogging import Logger


def _usable_cores() -> int:
    # The cores this process may run on (a container or cgroup limit), not the host's count.
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = os.environ.get("PORTAL_BIND") or "127.0.0.1:8000"

# Sync workers: one request at a time per process. The portal's work is short, blocking
# database and file work behind a buffering reverse proxy, which is what sync workers suit;
# slow clients are the proxy's problem, not a worker's. The cap keeps memory bounded (each
# worker holds the whole app, and a login hashes with 64 MiB of Argon2 memory) and keeps the
# number of PostgreSQL connections well below max_connections when several hosts run.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _usable_cores() + 1, 12))

# A worker that does not answer within `timeout` seconds is killed and replaced. Letter
# rendering stops itself after LETTER_RENDER_SECONDS (10 s) and uploads arrive buffered by
# the proxy, so 60 s leaves room for the largest exports (Word/Excel reports) without
# letting a stuck request hold a worker for long.
timeout = 60
# On SIGHUP (graceful restart) and SIGTERM, old workers get this long to finish the request
# in hand before they are killed; a download or export under way is not cut off.
graceful_timeout = 30

# No preload: every worker imports the app itself, so a SIGHUP after a deployment starts
# workers on the new code while the old ones finish (a preloaded app would keep the old).
preload_app = False

# Workers signal they are alive by touching a temporary file; on tmpfs that cannot stall
# behind a slow or full disk and get healthy workers killed. gunicorn creates it with
# mkstemp (private, unpredictable name) and unlinks it at once, so a shared tmpfs is safe.
_TMPFS = "/dev/shm"  # noqa: S108
if os.path.isdir(_TMPFS):
    worker_tmp_dir = _TMPFS

proc_name = "stapportaal"
# gunicorn 25.1+ opens a control socket in the user's home or runtime directory by default;
# restarts go through signals and the pid file here, so keep no extra control channel open
# (and let two instances of one user not share one socket path). Older versions ignore this.
control_socket_disable = True
pidfile = os.environ.get("PORTAL_PIDFILE") or None

# Only set when given: gunicorn already reads FORWARDED_ALLOW_IPS itself and defaults to
# the local host. It decides whose X-Forwarded-Proto gunicorn trusts; the client address
# and scheme the portal itself uses come from TRUSTED_PROXIES (werkzeug's ProxyFix).
if os.environ.get("FORWARDED_ALLOW_IPS"):
    forwarded_allow_ips = os.environ["FORWARDED_ALLOW_IPS"]

# Error log on stderr (the service manager's journal); access log on stdout by default.
errorlog = "-"
loglevel = "info"
accesslog = os.environ.get("PORTAL_ACCESS_LOG", "-") or None

# %(U)s is PATH_INFO: the path without the query string (%(r)s, the request line, and %(q)s
# would carry it). No %(f)s: the Referer is the previous page's full address, query
# included. %(h)s is the proxy's address; the client's is in the proxy's own log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# A query string: from "?" up to the next space or quote (as in a request line in quotes).
_QUERY = re.compile(r"\?[^\s\"']*")
# The one-time token of an enrolment link (/account/activeren/<token>) is a credential for
# as long as it lives; the database keeps only its hash, so the logs must not keep it either.
_ENROLMENT_TOKEN = re.compile(r"(/account/activeren/)[^/\s\"'?]+")


def redact(text: str) -> str:
    """The text with every query string and enrolment token replaced by a marker."""
    text = _ENROLMENT_TOKEN.sub(r"\1[token]", text)
    return _QUERY.sub("?[weggelaten]", text)


class _RedactFilter(logging.Filter):
    """Rewrites each record to its redacted text, traceback included, before any handler."""

    portal_redact = True

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


class RedactingLogger(Logger):
    """gunicorn's logger with the redaction filter on its error and access loggers.

    The access format above already leaves the query out; the filter is the second line for
    gunicorn's own messages (an unhandled error or a malformed request names the full URI)
    and for anyone who later puts %(r)s or %(f)s back into the format."""

    def setup(self, cfg) -> None:
        super().setup(cfg)  # runs again on every SIGHUP: add the filter only once
        for log in (self.error_log, self.access_log):
            if not any(getattr(f, "portal_redact", False) for f in log.filters):
                log.addFilter(_RedactFilter())


logger_class = RedactingLogger
