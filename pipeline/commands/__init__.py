"""One module per command, each exposing its namesake function (``update.update``).

No command imports another. A command that runs `bitext update` around its own work
(``translate``, ``import``) takes it as a parameter of type `UpdateRun`, which the
CLI passes in (`pipeline.commands.update.update`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pipeline.config import Config


class UpdateOutcome(Protocol):
    """What a command needs of an update's result (`pipeline.commands.update.UpdateResult`)."""

    @property
    def failed(self) -> bool: ...

    @property
    def written(self) -> list[str]: ...

    def problems(self) -> list[str]: ...


# `bitext update` as translate and import call it, before their work and after.
UpdateRun = Callable[["Config", list[str]], UpdateOutcome]
