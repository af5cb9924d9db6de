"""flask purge-personal-data (from cron, daily)."""
import click
from flask import current_app

from blueprints.checkins import bp
from blueprints.checkins.operations import purge_personal_data as purge


@bp.cli.command("purge-personal-data")
@click.option(
    "--days", type=int, default=None, help="Retention in days after the event (default: RETENTION_DAYS, 180)."
)
def purge_personal_data(days):
    """Remove names and phones of check-ins and sign-ups whose event ended longer ago than the retention period."""
    days = days if days is not None else current_app.config["RETENTION_DAYS"]
    checkins, signups = purge(days)
    click.echo(
        f"removed names and phones from {checkins} check-ins and {signups} sign-ups "
        f"(events ended over {days} days ago)."
    )
