"""The report's plots, drawn with matplotlib and returned as PNG bytes (no files, no pyplot state).

- :func:`recovery_curves`: the three runs' recovery curves (share of affected systems serving,
  and share of their grade-weighted demand served) over the days after the start; runs whose
  curves coincide (the runbook playing the team from a scenario file) are said so on the plot.
- :func:`restore_vs_rto`: the worst-hit systems' time to restore against their RTO (log scale),
  with the runbook's (auto) time beside the team's.
- :func:`unserved_by_grade`: requests not served, by grade, in the three runs.

Time axes read as durations (``2d``, ``6m``, ``4d 4h``: :func:`drillsim.model.timefmt.fmt_duration`).

Figures are made with :class:`matplotlib.figure.Figure` directly (the Agg canvas), so nothing
here touches a display or pyplot's global state. Names are drawn in Korean when a font with
Hangul is installed (Noto Sans CJK, Nanum, Malgun Gothic...); otherwise the English name (or id)
is used, so no label is ever drawn as empty boxes. Line styles and hatches differ between
series, so the plots read in black and white too.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence

from ..model.timefmt import fmt_duration

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult
    from ..model.scenario import Scenario

__all__ = ["available", "recovery_curves", "recovery_figure", "restore_vs_rto", "unserved_by_grade", "RUN_STYLES"]

RUN_STYLES = {
    "team": {"color": "#1f4e9c", "linestyle": "-", "linewidth": 2.2, "hatch": ""},
    "auto": {"color": "#2e8b57", "linestyle": "--", "linewidth": 1.8, "hatch": "//"},
    "none": {"color": "#b03a2e", "linestyle": ":", "linewidth": 1.8, "hatch": ".."},
}
"""Colour, line style and hatch of each run (team, auto = the runbook, none = do nothing)."""

_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_CJK_FAMILIES = (
    "Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Nanum Gothic", "Malgun Gothic", "Apple SD Gothic Neo", "AppleGothic",
    "Noto Sans CJK JP", "Source Han Sans KR", "UnDotum",
)


def available() -> bool:
    """Whether matplotlib can be imported (the report falls back to tables without it)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _hangul_family() -> str | None:
    """A font family with Hangul glyphs, registering system CJK fonts matplotlib has not seen yet."""
    from matplotlib import font_manager as fm

    names = {f.name for f in fm.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in names:
            return family
    try:
        paths = [p for p in fm.findSystemFonts() if re.search(r"cjk|nanum|malgun|gothic|sourcehan|hangul", p, re.I)]
    except Exception:  # pragma: no cover - a broken font directory must not break a report
        return None
    for path in paths:
        try:
            fm.fontManager.addfont(path)
        except Exception:  # pragma: no cover
            continue
    names = {f.name for f in fm.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in names:
            return family
    return None


def _rc() -> dict[str, Any]:
    family = _hangul_family()
    fonts = ["DejaVu Sans"] + ([family] if family else [])
    # A list of families makes matplotlib fall back glyph by glyph (Latin from DejaVu, Hangul from the CJK font).
    return {"font.family": fonts, "font.size": 9, "axes.titlesize": 10}


def system_label(scenario: "Scenario", system_id: str, limit: int = 42) -> str:
    """A system's name for a plot: with its Korean name when a Hangul font is available."""
    system = scenario.system_index.get(system_id)
    if system is None:
        label = system_id
    elif _hangul_family():
        label = system.label
    else:
        label = system.name or system.id
        if _HANGUL.search(label):
            label = system.id
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": "drillsim"})
    return buffer.getvalue()


def _step_xy(curve: Sequence[Any], end: float, attr: str) -> tuple[list[float], list[float]]:
    xs = [0.0]
    ys = [1.0]
    for p in curve:
        xs.append(p.t / 24.0)
        ys.append(getattr(p, attr) * 100.0)
    xs.append(end / 24.0)
    ys.append(ys[-1])
    return xs, ys


def recovery_curves(runs: dict[str, "RunResult"], labels: dict[str, str]) -> bytes:
    """Two panels: share of affected systems serving, and share of grade-weighted demand served, per run."""
    return _png(recovery_figure(runs, labels))


def recovery_figure(runs: dict[str, "RunResult"], labels: dict[str, str]) -> Any:
    """The figure of :func:`recovery_curves`. Runs whose curves coincide are said so, in the legend
    and under the title (their line styles differ, so both stay visible where they overlap)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(_rc()):
        fig = Figure(figsize=(9.0, 5.6), layout="constrained")
        axes = fig.subplots(2, 1, sharex=True)
        end = max(r.ended_hours for r in runs.values())
        notes = []
        for ax, attr in zip(axes, ("systems", "weighted")):
            curves = {}
            for key, result in runs.items():
                xs, ys = _step_xy(result.metrics.recovery_curve, result.ended_hours, attr)
                ys[0] = 100.0
                curves[key] = (xs, ys)
            same = {}
            for k, key in enumerate(curves):
                first = next((f for f in list(curves)[:k] if f not in same and curves[f] == curves[key]), None)
                if first is not None:
                    same[key] = first
            for key, (xs, ys) in curves.items():
                style = RUN_STYLES.get(key, RUN_STYLES["team"])
                label = labels.get(key, key) + (f": the same curve as {labels.get(same[key], same[key])}" if key in same else "")
                ax.step(xs, ys, where="post", label=label, color=style["color"], linestyle=style["linestyle"], linewidth=style["linewidth"])
            notes.append("; ".join(f"{labels.get(k, k)} = {labels.get(f, f)}" for k, f in same.items()))
        axes[0].set_ylabel("affected systems\nserving (%)")
        axes[1].set_ylabel("grade-weighted demand\nserved (%)")
        axes[1].set_xlabel("time since the start")
        axes[1].xaxis.set_major_formatter(lambda days, _pos: fmt_duration(days * 24.0))
        for ax in axes:
            ax.set_ylim(-3, 103)
            ax.set_xlim(0, end / 24.0)
            ax.grid(True, alpha=0.3)
            for level in (50, 90):
                ax.axhline(level, color="#888888", linewidth=0.6, linestyle="-", alpha=0.5)
        axes[0].legend(loc="lower right", frameon=True)
        if notes[1] != notes[0]:
            axes[1].legend(loc="lower right", frameon=True)
        title = "Recovery curves: the team, the runbook (auto) and doing nothing, same seed"
        if notes[0] and notes[0] == notes[1]:
            title += f"\nCurves that coincide (drawn over one another): {notes[0]}"
        else:
            for panel, note in zip(("top", "bottom"), notes):
                if note:
                    title += f"\nCurves that coincide in the {panel} panel (drawn over one another): {note}"
        axes[0].set_title(title)
        return fig


def restore_vs_rto(scenario: "Scenario", team: "RunResult", auto: "RunResult | None", limit: int = 30) -> bytes | None:
    """Horizontal bars: time to restore of the worst-hit systems (log hours), RTO marked, auto's time beside."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import NullFormatter

    hit = [s for s in team.systems.values() if s.time_to_restore_hours]
    if not hit:
        return None
    hit.sort(key=lambda s: (s.grade, -(s.time_to_restore_hours or 0.0) / s.rto_hours))
    worst = sorted(hit, key=lambda s: (-(s.time_to_restore_hours or 0.0) / s.rto_hours, s.grade))
    chosen = sorted(worst[:limit], key=lambda s: (s.grade, -(s.time_to_restore_hours or 0.0) / s.rto_hours))
    with rc_context(_rc()):
        height = 1.2 + 0.28 * len(chosen)
        fig = Figure(figsize=(9.0, height), layout="constrained")
        ax = fig.subplots()
        ys = list(range(len(chosen)))[::-1]
        for y, s in zip(ys, chosen):
            breach = s.rto_met is False
            ax.barh(y, s.time_to_restore_hours, height=0.55, color="#c0392b" if breach else "#1f4e9c",
                    hatch="xx" if not s.restored else ("//" if breach else ""), edgecolor="white", linewidth=0.0)
            ax.plot([s.rto_hours, s.rto_hours], [y - 0.38, y + 0.38], color="black", linewidth=2.0)
            if auto is not None:
                a = auto.systems.get(s.id)
                if a is not None and a.time_to_restore_hours:
                    ax.plot([a.time_to_restore_hours], [y], marker="D", color=RUN_STYLES["auto"]["color"], markersize=4.5, markeredgecolor="white")
        ax.set_yticks(ys)
        ax.set_yticklabels([f"{system_label(scenario, s.id)}  (g{s.grade})" for s in chosen])
        ax.set_xscale("log")
        ax.set_xlabel("time to restore (log scale)")
        ax.xaxis.set_major_formatter(lambda hours, _pos: fmt_duration(hours))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.grid(True, axis="x", alpha=0.3, which="both")
        handles = [
            Patch(facecolor="#1f4e9c", label="restored within RTO"),
            Patch(facecolor="#c0392b", hatch="//", edgecolor="white", label="RTO breached"),
            Patch(facecolor="#c0392b", hatch="xx", edgecolor="white", label="still down at the end"),
            Line2D([0], [0], color="black", linewidth=2.0, label="RTO"),
        ]
        if auto is not None:
            handles.append(Line2D([0], [0], marker="D", color=RUN_STYLES["auto"]["color"], linestyle="", label="runbook (auto)"))
        lows = [min(s.rto_hours, s.time_to_restore_hours or s.rto_hours) for s in chosen]
        ax.set_xlim(left=max(min(lows) / 2.0, 1 / 60))
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
        more = f" (the {len(chosen)} furthest over their RTO)" if len(hit) > len(chosen) else ""
        ax.set_title(f"Time to restore against RTO{more}, by grade")
        return _png(fig)


def unserved_by_grade(runs: dict[str, "RunResult"], labels: dict[str, str]) -> bytes:
    """Grouped bars: requests not served (by the system or its fallback), by grade, per run."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    grades = [1, 2, 3, 4]
    with rc_context(_rc()):
        fig = Figure(figsize=(9.0, 3.4), layout="constrained")
        ax = fig.subplots()
        width = 0.8 / max(1, len(runs))
        for k, (key, result) in enumerate(runs.items()):
            style = RUN_STYLES.get(key, RUN_STYLES["team"])
            values = [sum(s.unserved_demand for s in result.systems.values() if s.grade == g) for g in grades]
            xs = [g + (k - (len(runs) - 1) / 2) * width for g in grades]
            ax.bar(xs, values, width=width * 0.95, color=style["color"], hatch=style["hatch"], edgecolor="white", label=labels.get(key, key))
        ax.set_xticks(grades)
        ax.set_xticklabels([f"grade {g}" for g in grades])
        ax.set_ylabel("requests not served")
        ax.yaxis.set_major_formatter(_thousands())
        ax.grid(True, axis="y", alpha=0.3)
        ax.legend(frameon=True)
        ax.set_title("Citizens' requests not served, by grade")
        return _png(fig)


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _pos: int) -> str:
        if abs(value) >= 1e6:
            return f"{value / 1e6:,.1f}M".replace(".0M", "M")
        if abs(value) >= 1e3:
            return f"{value / 1e3:,.0f}k"
        return f"{value:,.0f}"

    return FuncFormatter(fmt)
