"""Command-line tasks: migrations, demo data, first admin, another district."""
import json
import sys
from pathlib import Path

import click
from flask import current_app
from peewee import IntegrityError
from playhouse.migrations import Runner

from blueprints import demo
from models import District, Street, User, db

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def runner():
    return Runner(db.obj, MIGRATIONS)


def register(app):
    @app.cli.group("db")
    def db_group():
        """Apply or inspect the migrations in migrations/."""

    @db_group.command("upgrade")
    def upgrade():
        """Apply every pending migration."""
        applied = runner().up()
        click.echo("\n".join(f"applied: {name}" for name in applied) or "up to date.")

    @db_group.command("status")
    def status():
        """List the migrations, [x] applied or [ ] pending; exit 1 when any is pending."""
        rows = runner().status()
        for m in rows:
            click.echo(f"[{'x' if m.applied else ' '}] {m.name}")
        if any(not m.applied for m in rows):
            sys.exit(1)

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database holds no account yet.")
    def seed_demo(if_empty):
        """Load the demo accounts and organizations."""
        if User.select().exists():
            if if_empty:
                if demo.refresh_today():
                    click.echo("demo data: already loaded; today's demo events moved to now, check-in open.")
                else:
                    click.echo("demo data: the database already has accounts, left as it is.")
                return
            raise click.ClickException("the database already has accounts; seed-demo wants an empty one")
        demo.seed_demo()
        click.echo("demo data loaded.")

    @app.cli.command("purge-personal-data")
    @click.option("--days", type=int, default=None, help="Retention in days after the event (default: RETENTION_DAYS, 180).")
    def purge_personal_data(days):
        """Remove names and phones of check-ins and sign-ups whose event ended longer ago than the retention period."""
        from blueprints.checkins.operations import purge_personal_data as purge

        days = days if days is not None else current_app.config["RETENTION_DAYS"]
        checkins, signups = purge(days)
        click.echo(f"removed names and phones from {checkins} check-ins and {signups} sign-ups (events ended over {days} days ago).")

    @app.cli.command("end-events")
    def end_events():
        """Record published events whose end has passed as ended (run it from cron, e.g. hourly)."""
        from blueprints.events.operations import end_past_events

        click.echo(f"{end_past_events()} events ended.")

    @app.cli.command("demo-accounts")
    @click.option("--json", "as_json", is_flag=True, help="A JSON list of {role, phone, password, name, street, org}.")
    def demo_accounts(as_json):
        """The demo logins."""
        rows = demo.demo_accounts()
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            where = row["org"] or row["street"] or ""
            click.echo(f"  {row['role']:<17} {row['phone']}  {row['password']}  {row['name']}  {where}")

    @app.cli.command("create-admin")
    @click.option("--phone", required=True)
    @click.option("--name", required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--district", "district_code", default="310105", show_default=True, help="Division code of the district.")
    def create_admin(phone, name, password, district_code):
        """Create a district admin account."""
        from blueprints.validators import normalize_phone

        district = District.get_or_none(District.code == district_code)
        if district is None:
            raise click.ClickException(f"no district with code {district_code}")
        if normalize_phone(phone) is None:
            raise click.ClickException("the phone must be an 11-digit mainland mobile number")
        if len(password) < 8:
            raise click.ClickException("the password needs at least 8 characters")
        user = User(name=name, phone=normalize_phone(phone), role="district_admin", district=district)
        user.set_password(password, current_app.config.get("PASSWORD_HASH_METHOD"))
        user.save()
        click.echo(f"district admin {name} ({user.phone}) created for {district.name}.")

    @app.cli.command("add-district")
    @click.argument("code")
    @click.argument("name")
    @click.option("--street", "streets", multiple=True, metavar="CODE:SLUG:NAME", help="One street office or town; repeat.")
    def add_district(code, name, streets):
        """Add another district with its streets, e.g. add-district 310104 徐汇区 --street 310104003:tianping:天平路街道."""
        parsed = []
        for spec in streets:
            parts = spec.split(":", 2)
            if len(parts) != 3 or not parts[0].startswith(code) or len(parts[0]) != 9 or not parts[1].isascii():
                raise click.ClickException(f"bad --street {spec!r}: want CODE:SLUG:NAME, CODE the nine-digit division code")
            parsed.append(parts)
        try:
            with db.atomic():
                district = District.create(code=code, name=name)
                for street_code, slug, street_name in parsed:
                    Street.create(district=district, code=street_code, slug=slug, name=street_name)
        except IntegrityError as exc:
            raise click.ClickException(f"a district or street with that code or slug exists already ({exc})") from exc
        click.echo(f"{name} added with {len(parsed)} streets.")
