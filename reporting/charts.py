"""Bar charts drawn on the server as inline SVG: the geometry here, the markup in
`templates/reporting/dashboard/_chart.html`. No script and no inline style (the CSP forbids both): colours are SVG
presentation attributes. A chart is never the only way to read its figures — the page puts the same numbers in a
table behind it, and each bar has a title saying what it is in words."""

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 660, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 36  # margins for the value axis and the month labels


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]
    colour: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str  # "March 2026, due: 12"


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass
class Chart:
    id: str
    title: str
    description: str
    series: list[Series]
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def baseline(self) -> int:
        return self.height - BOTTOM


def axis_top(largest: int) -> tuple[int, int]:
    """A round top for the value axis and its step: at most five steps of 1, 2 or 5 × 10ⁿ, never below 1."""
    if largest <= 0:
        return 1, 1
    rough = largest / 4
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(multiple * power for multiple in (1, 2, 5, 10) if multiple * power >= rough)
    return step * math.ceil(largest / step), step


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    labels: list[str],
    names: list[str],
    series: list[Series],
    stacked: bool = False,
) -> Chart:
    """Bars for each label (a month), side by side for each series, or stacked one on another.

    `labels` are short (under the axis), `names` long (in each bar's title: "March 2026").
    """
    chart = Chart(id=id, title=title, description=description, series=series)
    totals = [sum(values) for values in zip(*(s.values for s in series), strict=True)]
    largest = max(totals if stacked else [value for s in series for value in s.values], default=0)
    top, step = axis_top(largest)
    plot_height = chart.baseline - TOP
    slot = (chart.right - chart.left) / len(labels)
    gap = slot * 0.2
    bar_width = (slot - gap) if stacked else (slot - gap) / len(series)

    def height_of(value: int) -> float:
        return round(plot_height * value / top, 2)

    chart.ticks = [Tick(round(chart.baseline - height_of(value), 2), value) for value in range(0, top + 1, step)]
    for index, (label, name) in enumerate(zip(labels, names, strict=True)):
        start = chart.left + index * slot + gap / 2
        chart.labels.append(Label(round(start + (slot - gap) / 2, 2), label))
        stacked_height = 0.0
        for position, one in enumerate(series):
            value = one.values[index]
            bar_height = height_of(value)
            if stacked:
                x, y = start, chart.baseline - stacked_height - bar_height
                stacked_height += bar_height
            else:
                x, y = start + position * bar_width, chart.baseline - bar_height
            title = f"{name}, {one.label.lower()}: {value}"
            chart.bars.append(Bar(round(x, 2), round(y, 2), round(bar_width, 2), bar_height, one.colour, title))
    return chart


# --- The dashboard's trends ------------------------------------------------------------------------------------------

GREY, BLUE = "#768692", "#005eb8"  # NHS mid grey and NHS blue: told apart by lightness as well as hue
BAND_COLOURS = {"low": "#007f3b", "moderate": "#ffeb3b", "high": "#ed8b00", "extreme": "#d5281b"}  # as the heat map


def trend_charts(trends) -> dict[str, Chart]:
    """The dashboard's three charts from its `Trends`: actions, decisions and risks by band, month by month."""
    labels = [month.first.strftime("%b %y") for month in trends.months]
    names = [month.name for month in trends.months]
    common = {"labels": labels, "names": names}
    first, last = trends.months[0].name, trends.months[-1].name
    return {
        "actions": bar_chart(
            id="chart-actions",
            title="Actions due and completed each month",
            description=f"Bars for each month from {first} to {last}: actions due that month beside actions "
            f"completed that month. {trends.actions_completed_on_time} of {trends.actions_due} actions due were "
            "done on time.",
            series=[
                Series("Due", [row.due for row in trends.actions], GREY),
                Series("Completed", [row.completed for row in trends.actions], BLUE),
            ],
            **common,
        ),
        "decisions": bar_chart(
            id="chart-decisions",
            title="Decisions proposed and made each month",
            description=f"Bars for each month from {first} to {last}: decisions proposed beside decisions "
            "approved or rejected.",
            series=[
                Series("Proposed", [row.proposed for row in trends.decisions], GREY),
                Series("Approved or rejected", [row.decided for row in trends.decisions], BLUE),
            ],
            **common,
        ),
        "risks": bar_chart(
            id="chart-risks",
            title="Open risks by band at the end of each month",
            description=f"Stacked bars for each month from {first} to {last}: open risks in the low, moderate, "
            "high and extreme bands.",
            series=[
                Series(band.capitalize(), [row.by_band[band] for row in trends.risks], colour)
                for band, colour in BAND_COLOURS.items()
            ],
            stacked=True,
            **common,
        ),
    }
