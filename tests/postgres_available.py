"""Exit 0 when the PostgreSQL server of the test URL answers (used by `make test`)."""

import sys

import psycopg
from sqlalchemy.engine import make_url


def server_answers(url: str) -> bool:
    parsed = make_url(url)
    try:
        with psycopg.connect(host=parsed.host or "localhost", port=parsed.port or 5432,
                             user=parsed.username, password=parsed.password,
                             dbname="postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


if __name__ == "__main__":
    sys.exit(0 if server_answers(sys.argv[1]) else 1)
