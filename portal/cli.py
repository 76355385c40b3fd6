"""The `flask --app wsgi portal ...` commands: set-up, accounts, demo data and integrity checks."""

from __future__ import annotations

import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from portal import checks, demo
from portal.admin import services as admin_services
from portal.audit.services import chain_head
from portal.audit.tasks import anchor_problems, parse_head
from portal.auth import passwords, totp
from portal.documents.trash import purge_due
from portal.letters.templates import ensure_builtin_templates
from portal.referrals.services import purge_withdrawn
from portal.refusal import DomainError
from portal.roles import OrganisationKind, Role

portal_cli = AppGroup("portal", help="Beheeropdrachten van Stapportaal.")


@portal_cli.command("init")
@click.option("--no-demo", is_flag=True, help="Geen demodata, ook niet in een lege database.")
def init_command(no_demo: bool) -> None:
    """Apply migrations; seed demo data into an empty database; print the demo logins."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo("Database bijgewerkt.")
    made = ensure_builtin_templates()
    if made:
        click.echo(f"{made} ingebouwde briefsjablonen aangemaakt of bijgewerkt.")
    if no_demo or current_app.config["PORTAL_ENV"] == "production":
        return
    if demo.database_is_empty():
        demo.seed_demo()
        click.echo("Demodata aangemaakt (fictieve personen).")
    echo_demo_logins()


@portal_cli.command("seed-demo")
def seed_demo_command() -> None:
    """Create the fictional demo organisations and accounts (skips existing ones)."""
    created = demo.seed_demo()
    click.echo(f"{len(created)} demo-account(s) aangemaakt.")
    echo_demo_logins()


@portal_cli.command("demo-logins")
def demo_logins_command() -> None:
    """Print the demo accounts with their password and TOTP secret."""
    echo_demo_logins()


def echo_demo_logins() -> None:
    logins = demo.demo_logins()
    if not logins:
        click.echo("Er zijn geen demo-accounts.")
        return
    click.echo("\nDemo-accounts (wachtwoord voor allemaal: " + demo.DEMO_PASSWORD + ")")
    click.echo("Voeg het TOTP-geheim toe aan een authenticator-app, of bereken een code met:")
    click.echo("  .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('GEHEIM').now())\"\n")
    for user, secret in logins:
        click.echo(f"  {user.role_labels:<28} {user.email:<40} TOTP-geheim: {secret}")
    click.echo("")


@portal_cli.command("create-user")
@click.option("--name", required=True, help="Volledige naam.")
@click.option("--email", required=True, help="E-mailadres (inlognaam).")
@click.option("--organisation", required=True, help="Naam van de organisatie.")
@click.option("--role", "roles", required=True, multiple=True,
              type=click.Choice([r.value for r in Role]), help="Rol; mag vaker.")
@click.password_option("--password", help="Wachtwoord (wordt gevraagd als het ontbreekt).")
def create_user_command(name, email, organisation, roles, password) -> None:
    """Create an enrolled account and print the otpauth URI for her authenticator app."""
    problems = passwords.password_problems(password, email=email, name=name)
    if problems:
        raise click.ClickException(" ".join(problems))
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.ClickException(f"Ongeldig e-mailadres: {error}") from error
    if admin_services.email_in_use(email):
        raise click.ClickException(admin_services.EMAIL_TAKEN)
    org = admin_services.find_organisation(organisation) or admin_services.save_organisation(
        None, name=organisation, kind=OrganisationKind.ZORGAANBIEDER.value)
    secret = totp.new_secret()
    try:
        user = admin_services.create_user(
            name=name, email=email, organisation_id=org.id, roles=roles, password=password,
            must_change_password=False, totp_secret=totp.seal(secret))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Account aangemaakt: {user.email} ({user.role_labels}).")
    click.echo("Koppel de authenticator-app met deze URI (of het geheim " + secret + "):")
    click.echo(totp.provisioning_uri(secret, user.email))


@portal_cli.command("audit-verify")
@click.option("--expect-head", default=None, metavar="SEQ:HASH",
              help="Een eerder bewaard eindpunt (volgnummer:hash) dat nog in de keten moet "
                   "staan; zo valt ook het wissen van de nieuwste gebeurtenissen op.")
def audit_verify_command(expect_head: str | None) -> None:
    """Check the audit hash chain; exit 1 and name each edited or deleted event."""
    expected = parse_head(expect_head) if expect_head else None
    if expect_head and expected is None:
        raise click.BadParameter("schrijf het eindpunt als volgnummer:hash, zoals de controle "
                                 "het afdrukt.", param_hint="--expect-head")
    run = checks.run_chain_check(extra=anchor_problems(expected))
    _echo_problems(run)
    if not run.ok:
        click.echo(f"Auditketen NIET intact: {run.problems} probleem/problemen in {run.checked} "
                   "gebeurtenissen.", err=True)
        sys.exit(1)
    click.echo(f"Auditketen intact: {run.checked} gebeurtenissen gecontroleerd.")
    head = chain_head()
    if head:
        click.echo(f"Eindpunt om elders te bewaren: {head[0]}:{head[1]}")


def _echo_problems(run: checks.CheckRun) -> None:
    for problem in run.summary.splitlines():
        click.echo(f"FOUT: {problem}", err=True)
    if run.problems > len(run.summary.splitlines()):
        click.echo(f"FOUT: en nog {run.problems - len(run.summary.splitlines())} meer", err=True)


@portal_cli.command("check-storage")
def check_storage_command() -> None:
    """Compare database and file store; exit 1 on missing, orphan, damaged or unfinished files."""
    run = checks.run_storage_check()
    _echo_problems(run)
    if not run.ok:
        click.echo(f"Opslag NIET in orde ({run.checked} bestanden gecontroleerd).", err=True)
        sys.exit(1)
    click.echo(f"Opslag in orde: {run.checked} bestanden gecontroleerd.")


@portal_cli.command("move-files")
@click.option("--to", "target", required=True, type=click.Choice(["database", "filesystem"]),
              help="Waar de bestanden heen gaan: database (PostgreSQL) of filesystem "
                   "(UPLOAD_FOLDER).")
def move_files_command(target: str) -> None:
    """Move the file store into the database or back, each file checked by its checksum."""
    from portal.documents.relocation import move_files

    if target == "database" and not current_app.config["SQLALCHEMY_DATABASE_URI"] \
            .startswith("postgresql"):
        raise click.UsageError("De database-opslag vraagt PostgreSQL (DATABASE_URL).")
    report = move_files(target)
    for problem in report.failed:
        click.echo(f"FOUT: {problem}", err=True)
    click.echo(f"{report.moved} bestand(en) verplaatst naar {target}, {report.already_there} "
               f"stond(en) er al; {report.left_behind} bestand(en) zonder databaserij "
               "blijven staan (check-storage noemt ze).")
    if not report.ok:
        click.echo(f"{len(report.failed)} bestand(en) NIET verplaatst.", err=True)
        sys.exit(1)
    click.echo(f"Zet nu FILE_STORE={target} en start het portaal opnieuw.")


@portal_cli.command("purge-referrals")
def purge_referrals_command() -> None:
    """Destroy withdrawn aanmeldingen whose six weeks have passed (run daily)."""
    click.echo(f"{purge_withdrawn()} ingetrokken aanmelding(en) vernietigd.")


@portal_cli.command("purge-trash")
def purge_trash_command() -> None:
    """Remove documents whose time in the trash has passed (run daily, e.g. from cron)."""
    click.echo(f"{purge_due()} document(en) definitief verwijderd.")


@portal_cli.command("registrations-daily")
def registrations_daily_command() -> None:
    """Expire ended registrations, start renewals, send the reminders (the job runs daily)."""
    from portal.registrations.reminders import run_daily

    result = run_daily()
    click.echo(f"{result['verlopen']} registratie(s) verlopen, {result['ingegaan']} "
               f"hernieuwing(en) ingegaan, {result['herinnerd']} in een herinnering genoemd.")
