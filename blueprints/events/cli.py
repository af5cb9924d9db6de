"""flask end-events (from cron, hourly)."""
import click

from blueprints.events import bp
from blueprints.events.operations import end_past_events


@bp.cli.command("end-events")
def end_events():
    """Record published events whose end has passed as ended (run it from cron, e.g. hourly)."""
    click.echo(f"{end_past_events()} events ended.")
