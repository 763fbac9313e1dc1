"""Warnings that travel with results (after python-mammoth's results.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Message:
    """Something the reader or aligner noticed and carried on past."""

    level: Level
    code: str
    text: str
    where: str | None = None

    def __str__(self) -> str:
        return f"{self.text} ({self.where})" if self.where else self.text


@dataclass(frozen=True, slots=True)
class Result(Generic[T]):
    value: T
    messages: tuple[Message, ...] = field(default=())
