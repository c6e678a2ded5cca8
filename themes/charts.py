"""Trend charts drawn on the server as inline SVG: no script, no third party, readable without colour.

Each chart comes with its numbers as a table (the template shows it under the chart), so
a screen reader gets the same information as the eye.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

WIDTH, HEIGHT, PAD = 600, 160, 28


@dataclass
class Chart:
    title: str
    points: list  # [(day, value or None)]
    polyline: str  # SVG points of the line ("" when there is nothing to draw)
    top: int  # the value at the top of the axis
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD

    @property
    def summary(self):
        known = [v for _, v in self.points if v is not None]
        if not known:
            return f"{self.title}：暂无数据"
        first = next(d for d, v in self.points if v is not None)
        return f"{self.title}：自 {first:%Y-%m-%d} 起 {len(known)} 天，最新 {known[-1]}，最高 {max(known)}"


def line_chart(title, points):
    values = [v for _, v in points if v is not None]
    top = max([*values, 1])
    coords = []
    count = len(points)
    for index, (_day, value) in enumerate(points):
        if value is None:
            continue
        x = PAD + (WIDTH - 2 * PAD) * (index / max(count - 1, 1))
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value / top)
        coords.append(f"{x:.1f},{y:.1f}")
    return Chart(title=title, points=points, polyline=" ".join(coords), top=top)


def last_days(days):
    """The last `days` local dates, oldest first, today last: the x axis of a daily chart."""
    today = timezone.localdate()
    return [today - datetime.timedelta(days=n) for n in range(days - 1, -1, -1)]
