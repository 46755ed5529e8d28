# Exercise: a TaskGroup with a concurrency limit. Edit this file, then press "Run tests" in the Lab.
# Python 3.11 or later (asyncio.TaskGroup, asyncio.timeout).
import asyncio
from typing import Any, Awaitable, Callable, Literal, Union

Result = Union[tuple[Literal["ok"], Any], tuple[Literal["error"], BaseException]]


async def gather_limited(factories: list[Callable[[], Awaitable[Any]]], limit: int, timeout: float) -> list[Result]:
    # TODO: this starts every call at once, has no timeout, and returns the exceptions bare.
    values = await asyncio.gather(*(f() for f in factories), return_exceptions=True)
    return [("error", v) if isinstance(v, BaseException) else ("ok", v) for v in values]
