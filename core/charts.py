"""Charts drawn on the server as SVG: no script and no chart library in the browser.

Each function returns the Markup of one ``<svg role="img">`` with an ``aria-label`` and a ``<title>``, drawn on a
360-unit-wide viewBox and sized by its container (width 100%), so it fits a 390 px phone and grows on a PC. Text
takes its font from the page's CSS (Chinese fonts included). The numbers are written as the page's table writes
them (``Bar.text``): every chart stands beside a table with the same numbers, for screen readers and for copying.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 360
BAR = "#b3261e"
TRACK = "#eee6e4"
INK = "#1a1a1a"
MUTED = "#4a4a4a"
TARGET = "#1e6b34"


@dataclass
class Bar:
    """One bar: its label, its value (for its length) and the value as shown (in the chart and in the table)."""

    label: str
    value: float
    text: str = ""

    def __post_init__(self):
        if not self.text:
            self.text = count_text(self.value)


def count_text(value):
    return str(int(value or 0))


def share(part, whole):
    """part / whole, or None when there is nothing to divide."""
    return part / whole if whole else None


def percent_text(part, whole):
    """18.2% — one decimal; — when ``whole`` is 0."""
    value = share(part, whole)
    return "—" if value is None else f"{value * 100:.1f}%"


def _svg(title, height, body, series):
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" '
        f'viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}" data-series="{escape(series)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _rect(x, y, width, height, fill, tip=None):
    inner = f"<title>{escape(tip)}</title>" if tip else ""
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{max(height, 0):.1f}" '
            f'fill="{fill}">{inner}</rect>')


def _text(x, y, text, cls, size=13, anchor="start", fill=INK, extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{extra}>{escape(text)}</text>')


def bar_chart(bars, title, series=""):
    """Vertical bars, e.g. one a month: the label under each bar, its number above it (turned upright, so six
    digits fit over a narrow bar)."""
    height, top, bottom, side = 230, 58, 26, 4
    plot = height - top - bottom
    slot = (WIDTH - 2 * side) / max(len(bars), 1)
    width = slot * 0.62
    biggest = max((b.value for b in bars), default=0) or 1
    parts = [f'<line x1="0" y1="{height - bottom}" x2="{WIDTH}" y2="{height - bottom}" stroke="{MUTED}"/>']
    for i, bar in enumerate(bars):
        centre = side + slot * i + slot / 2
        tall = plot * bar.value / biggest
        y = height - bottom - tall
        parts.append(_rect(centre - width / 2, y, width, tall, BAR, f"{bar.label}：{bar.text}"))
        parts.append(_text(centre + 4, y - 4, bar.text, "chart-value", anchor="start",
                           extra=f' transform="rotate(-90 {centre + 4:.1f} {y - 4:.1f})"'))
        parts.append(_text(centre, height - 8, bar.label, "chart-label", size=12, anchor="middle", fill=MUTED))
    return _svg(title, height, "".join(parts), series)


def hbar_chart(bars, title, series=""):
    """Horizontal bars, one per category: the label above its bar (long Chinese names keep the full width), the
    number at the bar's end."""
    row, label_gap, thick = 44, 16, 16
    height = max(len(bars), 1) * row + 4
    room = WIDTH - 64  # the longest bar leaves room for its number
    biggest = max((b.value for b in bars), default=0) or 1
    parts = []
    for i, bar in enumerate(bars):
        y = i * row + label_gap
        long = room * bar.value / biggest
        parts.append(_text(0, y, bar.label, "chart-label", size=14))
        parts.append(_rect(0, y + 6, WIDTH - 64, thick, TRACK))
        parts.append(_rect(0, y + 6, long, thick, BAR, f"{bar.label}：{bar.text}"))
        parts.append(_text(long + 6, y + 6 + thick - 3, bar.text, "chart-value", size=14))
    return _svg(title, height, "".join(parts), series)


def progress_bar(part, whole, title, target=None, series=""):
    """One bar: the share ``part / whole`` of a full track, with a line at ``target`` (0.2 for 20%) if given."""
    height, y, thick = 86, 34, 26
    value = share(part, whole) or 0
    shown = percent_text(part, whole)
    parts = [_rect(0, y, WIDTH, thick, TRACK), _rect(0, y, WIDTH * min(value, 1), thick, BAR, f"{title}：{shown}")]
    parts.append(_text(0, y - 10, shown, "chart-value", size=18, extra=' font-weight="700"'))
    parts.append(_text(WIDTH, y - 10, f"{count_text(part)} / {count_text(whole)}", "chart-label", size=13,
                       anchor="end", fill=MUTED))
    if target is not None:
        x = WIDTH * target
        parts.append(f'<line x1="{x:.1f}" y1="{y - 4}" x2="{x:.1f}" y2="{y + thick + 4}" stroke="{TARGET}" '
                     'stroke-width="3" stroke-dasharray="5 3"/>')
        parts.append(_text(x, y + thick + 20, _("目标 %(target)s", target=f"{target * 100:.0f}%"), "chart-target",
                           size=13, anchor="middle", fill=TARGET))
    return _svg(title, height, "".join(parts), series)
