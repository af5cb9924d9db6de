"""flask compute-signals (from cron, e.g. nightly)."""
import click

from blueprints.signals import bp
from blueprints.signals.operations import refresh
from models import District


@bp.cli.command("compute-signals")
def compute_signals():
    """Recompute every district's risk signals (run it from cron, e.g. every night at 2:30)."""
    for district in District.select().order_by(District.code):
        outcome = refresh(district=district)
        click.echo(f"{district.name}: {outcome.opened} opened, {outcome.reopened} reopened, "
                   f"{outcome.kept} still found, {outcome.cleared} cleared.")
