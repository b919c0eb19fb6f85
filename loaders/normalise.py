"""Script normalisation: traditional -> simplified (OpenCC t2s), so one alias table serves both."""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def to_zh_hans(text: str) -> str:
    return _converter().convert(text) if text else text
