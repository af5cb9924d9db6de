"""flask seed-demo, flask demo-accounts."""
import json

import click

from blueprints.demo import bp, data, scale
from models import User


@bp.cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no account yet.")
@click.option("--scale", "size", type=click.Choice(["small", *scale.SCALES]), default="small", show_default=True,
              help="small: the demo alone; large: the demo plus 2,000 organizations, 50,000 events, "
                   "1,000,000 check-ins and 200,000 sign-ups (bench/consoles.py).")
@click.option("--orgs", type=int, help="Generated organizations (overrides the scale's; alone: medium's for the rest).")
@click.option("--events", type=int, help="Generated events.")
@click.option("--checkins", type=int, help="Generated check-ins.")
@click.option("--signups", type=int, help="Generated sign-ups.")
def seed_demo(if_empty, size, **sizes):
    """Load the demo accounts and organizations (and, with --scale, a large generated district)."""
    sizes = {k: v for k, v in sizes.items() if v is not None}
    if size != "small" or sizes:
        # Sizes not given are the scale's (the medium one's when only some sizes are given).
        sizes = {**scale.SCALES.get(size, scale.SCALES["medium"]), **sizes}
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
    if sizes:
        scale.seed_scale(echo=click.echo, **sizes)
        click.echo("generated data loaded: " + ", ".join(f"{v:,} {k}" for k, v in sizes.items()) + ".")


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
