"""flask seed-demo, flask demo-accounts."""
import json

import click

from blueprints.demo import bp, data
from models import User


@bp.cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no account yet.")
def seed_demo(if_empty):
    """Load the demo accounts and organizations."""
    if User.select().exists():
        if if_empty:
            if data.refresh_today():
                click.echo("demo data: already loaded; today's demo events moved to now, check-in open.")
            else:
                click.echo("demo data: the database already has accounts, left as it is.")
            return
        raise click.ClickException("the database already has accounts; seed-demo wants an empty one")
    data.seed_demo()
    click.echo("demo data loaded.")


@bp.cli.command("demo-accounts")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of {role, phone, password, name, street, org}.")
def demo_accounts(as_json):
    """The demo logins."""
    rows = data.demo_accounts()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        where = row["org"] or row["street"] or ""
        click.echo(f"  {row['role']:<17} {row['phone']}  {row['password']}  {row['name']}  {where}")
