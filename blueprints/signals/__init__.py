"""Risk signals (风险提示): computed by a scheduled command and on demand, each with its reason and the data behind
it; the street office marks one as looked at with a note, and it stays closed until new data raises it again."""
from flask import Blueprint

from models import SIGNAL_KINDS

bp = Blueprint("signals", __name__, cli_group=None)

from blueprints.signals import cli, policy, queries, views  # noqa: E402,F401

#: 风险提示 N on the street console (templates/streets/console.html).
bp.add_app_template_global(queries.open_count, "open_signal_count")
bp.add_app_template_global(queries.data_of, "signal_data")
bp.add_app_template_global(queries.KIND_LABELS.get, "signal_kind_label")
bp.add_app_template_global(queries.STATUS_LABELS.get, "signal_status_label")
bp.add_app_template_global(SIGNAL_KINDS, "signal_kinds")
