"""Server-rendered SVG charts for the dashboard panel: geometry computed
here, markup in the template (so every label is autoescaped). No
JavaScript, nothing fetched from elsewhere."""

from dataclasses import dataclass

from django.utils import formats


@dataclass
class Bar:
    label: str
    value: float
    text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    text_x: float
    text_y: float


@dataclass
class Chart:
    width: int
    height: int
    bars: list
    axis: list
    baseline: tuple = (0, 0, 0, 0)


def rate_bars(rows, width=560, row_height=22, label_width=90, gap=6):
    """Horizontal bars: certification rate (0-100 %) of each agency."""
    plot = width - label_width - 60
    bars = []
    for index, row in enumerate(rows):
        rate = row.rate or 0
        y = 24 + index * (row_height + gap)
        length = plot * rate / 100
        bars.append(
            Bar(
                label=row.acronym,
                value=rate,
                text=(formats.number_format(rate, 1) + " %") if row.rate is not None else "–",
                x=label_width,
                y=y,
                width=round(max(length, 0.5), 1),
                height=row_height,
                label_x=label_width - 6,
                label_y=y + row_height * 0.7,
                text_x=round(label_width + length + 6, 1),
                text_y=y + row_height * 0.7,
            )
        )
    height = 24 + len(rows) * (row_height + gap) + 4
    axis = [
        {"x": round(label_width + plot * tick / 100, 1), "label": f"{tick} %", "y1": 18, "y2": height - 4}
        for tick in (0, 25, 50, 75, 100)
    ]
    return Chart(width=width, height=height, bars=bars, axis=axis)


def month_columns(months, width=560, height=220):
    """Vertical columns: certificates expiring in each of the coming months."""
    top, bottom, left = 24, 40, 10
    plot_height = height - top - bottom
    slot = (width - left * 2) / max(len(months), 1)
    peak = max([count for _month, count in months] + [1])
    bars = []
    for index, (month, count) in enumerate(months):
        column = plot_height * count / peak
        x = left + index * slot + slot * 0.15
        y = top + plot_height - column
        bars.append(
            Bar(
                label=formats.date_format(month, "M y"),
                value=count,
                text=formats.number_format(count, force_grouping=True),
                x=round(x, 1),
                y=round(y, 1),
                width=round(slot * 0.7, 1),
                height=round(max(column, 0.5), 1),
                label_x=round(x + slot * 0.35, 1),
                label_y=height - bottom + 16,
                text_x=round(x + slot * 0.35, 1),
                text_y=round(y - 4, 1),
            )
        )
    baseline = (left, top + plot_height, width - left, top + plot_height)
    return Chart(width=width, height=height, bars=bars, axis=[], baseline=baseline)
