"""The superposition view: N alternatives of one turn side by side, how far apart they are.

Generates the alternatives in one batched engine call, the same turn without
the persona as a control, scores every alternative, then shows each one's
drift scores, the pairwise distance matrix, the groups of alternatives that
express the same character and the dispersion ratio. Enter (or 1-9) continues
the chat with the highlighted one; every alternative is kept as a swipe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message as TMessage
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from drifttui.conversation import Swipe
from drifttui.drift.dispersion import Superposition, analyse
from drifttui.engine import CancelToken, Message
from drifttui.tui.widgets._gauge import COLOURS, compact, level

GROUP_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class SuperpositionResult:
    """What the view produced: every alternative (scored) and the one picked, if any."""

    turn: int
    swipes: list[Swipe]
    chosen: int | None
    analysis: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Progress(TMessage):
    done: int
    total: int
    stage: str


@dataclass
class _Finished(TMessage):
    swipes: list[Swipe]
    analysis: Superposition | None
    error: str | None = None


class SuperpositionScreen(ModalScreen[SuperpositionResult | None]):
    DEFAULT_CSS = """
    SuperpositionScreen { align: center middle; }
    SuperpositionScreen > Vertical { width: 100%; height: 100%; background: $surface; padding: 0 1; }
    SuperpositionScreen #sp-title { height: auto; width: 100%; }
    SuperpositionScreen ProgressBar { height: 1; }
    SuperpositionScreen #sp-body { height: 1fr; }
    SuperpositionScreen OptionList { width: 1fr; height: 1fr; }
    SuperpositionScreen #sp-side { width: 36; height: 1fr; padding: 0 1; border-left: tall $panel-lighten-1; }
    SuperpositionScreen #sp-help { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "close", "Keep all, close", id="drifttui.superposition.close"),
    ]

    def __init__(self, runtime: Any, turn: int, messages: list[Message], history: list[Message], n: int) -> None:
        super().__init__()
        self.runtime = runtime
        self.turn = turn
        self.messages = messages
        self.history = history
        self.n = n
        self.cancel = CancelToken()
        self.swipes: list[Swipe] = []
        self.analysis: Superposition | None = None
        self.running = True

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]Superposition[/b] · turn {self.turn} · sampling {self.n} alternatives…", id="sp-title")
            yield ProgressBar(total=self.n * 2 + 1, show_eta=False, id="sp-progress")
            with Horizontal(id="sp-body"):
                yield OptionList(id="sp-list")
                yield Static("", id="sp-side")
            yield Label("Enter / 1-9: continue with that one · Esc: keep all as swipes and close", id="sp-help")

    def on_mount(self) -> None:
        self.run_all()

    @work(thread=True, exclusive=True, group="superposition")
    def run_all(self) -> None:
        try:
            total = self.n * 2 + 1
            done = 0

            def sampled(i: int, _reply: Any) -> None:
                nonlocal done
                done += 1
                self.post_message(_Progress(done, total, f"sampled {done}/{self.n}"))

            pairs = self.runtime.sample(self.messages, self.n, cancel=self.cancel, on_reply=sampled)
            swipes = [swipe for _reply, swipe in pairs]
            if self.cancel.cancelled:
                self.post_message(_Finished(swipes, None, "cancelled"))
                return
            self.post_message(_Progress(done, total, "sampling the no-persona control…"))
            control = self.runtime.control(self.messages, self.runtime.options.control_n, cancel=self.cancel)
            done += 1
            analysis = analyse([s.text for s in swipes], control, self.runtime.embedder)
            for k, swipe in enumerate(swipes):
                if self.cancel.cancelled:
                    break
                swipe.scores = self.runtime.score(self.history, swipe.text, self.turn)
                done += 1
                self.post_message(_Progress(done, total, f"scored {k + 1}/{len(swipes)}"))
            self.post_message(_Finished(swipes, analysis))
        except Exception as exc:  # shown in the view, never crashes the app
            self.post_message(_Finished(list(self.swipes), None, f"{type(exc).__name__}: {exc}"))

    @on(_Progress)
    def _show_progress(self, message: _Progress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)
        self.query_one("#sp-title", Label).update(f"[b]Superposition[/b] · turn {self.turn} · {message.stage}")

    @on(_Finished)
    def _show_results(self, message: _Finished) -> None:
        self.running = False
        self.swipes = message.swipes
        self.analysis = message.analysis
        self.query_one(ProgressBar).display = False
        if message.error:
            self.query_one("#sp-title", Label).update(f"[b]Superposition[/b] · turn {self.turn} · [red]{message.error}[/red]")
        else:
            self.query_one("#sp-title", Label).update(self._title())
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(self._option(i, s), id=str(i)) for i, s in enumerate(self.swipes)])
        if self.swipes:
            options.highlighted = 0
        options.focus()
        self.query_one("#sp-side", Static).update(self._side())

    # ------------------------------------------------------------- rendering
    def _group_of(self, i: int) -> str:
        if self.analysis is None:
            return "?"
        for g, members in enumerate(self.analysis.groups):
            if i in members:
                return GROUP_NAMES[g % len(GROUP_NAMES)]
        return "?"

    def _title(self) -> str:
        a = self.analysis
        if a is None:
            return f"[b]Superposition[/b] · turn {self.turn}"
        ratio = "n/a" if a.ratio is None else f"{a.ratio:.2f}"
        verdict = ""
        if a.ratio is not None:
            verdict = " [red](runs differ as much as persona vs none)[/red]" if a.ratio >= 1 else " [green](persona dominates run-to-run noise)[/green]" if a.ratio < 0.6 else " [yellow](substantial run-to-run spread)[/yellow]"
        return (
            f"[b]Superposition[/b] · turn {self.turn} · {len(self.swipes)} alternatives · "
            f"{len(a.groups)} character group(s) · dispersion [b]{ratio}[/b]{verdict}"
        )

    def _option(self, i: int, swipe: Swipe) -> Text:
        text = Text()
        text.append(f"{i + 1} ", style="bold")
        text.append(f"[{self._group_of(i)}] ", style="bold cyan")
        scores = swipe.scores or {}
        for key, short in (("local", "L"), ("global", "G"), ("factual", "F")):
            value = scores.get(key)
            text.append(f"{short}{'--' if value is None else f'{value:.2f}'} ", style=COLOURS[level(value)])
        body = " ".join(swipe.text.split())
        text.append("\n  " + (body[:150] + ("…" if len(body) > 150 else "")))
        return text

    def _side(self) -> Table | Text:
        a = self.analysis
        if a is None:
            return Text("no analysis", style="grey50")
        table = Table(title="distances", box=None, padding=(0, 0, 0, 1), show_header=True, pad_edge=False)
        n = len(a.texts)
        table.add_column("", style="bold")
        for j in range(n):
            table.add_column(str(j + 1), justify="right")
        for i in range(n):
            row = []
            for j in range(n):
                if i == j:
                    row.append(Text(" ·", style="grey42"))
                else:
                    d = float(a.matrix[i, j])
                    style = "green" if d < 0.25 else "yellow" if d < 0.5 else "red"
                    row.append(Text(compact(d), style=style))
            table.add_row(str(i + 1), *row)
        out = Table.grid()
        out.add_row(table)
        groups = Text("\ngroups (same character)\n", style="bold")
        for g, members in enumerate(a.groups):
            groups.append(f" {GROUP_NAMES[g % len(GROUP_NAMES)]}: ", style="bold cyan")
            groups.append(", ".join(str(m + 1) for m in members) + "\n")
        between = "n/a" if a.between is None else f"{a.between:.2f}"
        ratio = "n/a" if a.ratio is None else f"{a.ratio:.2f}"
        groups.append("\nspread within   ", style="bold")
        groups.append(f"{a.within:.2f}\n")
        groups.append("vs no persona   ", style="bold")
        groups.append(f"{between}\n")
        groups.append("dispersion      ", style="bold")
        groups.append(f"{ratio}\n", style="bold")
        groups.append(f"({a.method})", style="grey50")
        out.add_row(groups)
        return out

    # ---------------------------------------------------------------- picks
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._finish(int(event.option.id or 0))

    def on_key(self, event) -> None:
        if not self.running and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.swipes):
                event.stop()
                self._finish(index)

    def _finish(self, chosen: int | None) -> None:
        self.dismiss(
            SuperpositionResult(
                self.turn,
                self.swipes,
                chosen,
                self.analysis.to_dict() if self.analysis is not None else {},
            )
        )

    def action_close(self) -> None:
        if self.running:
            self.cancel.cancel()
            self.running = False
            self.dismiss(None)
            return
        self._finish(None)
