# Reference solution: one wrapper task per call in a TaskGroup; inside it, a semaphore slot, a
# per-call timeout and the call's own exceptions caught (so the group is never cancelled by a
# failed call, only by cancellation from outside, which then reaches every running call).
import asyncio
from typing import Any, Awaitable, Callable, Literal, Union

Result = Union[tuple[Literal["ok"], Any], tuple[Literal["error"], BaseException]]


async def gather_limited(factories: list[Callable[[], Awaitable[Any]]], limit: int, timeout: float) -> list[Result]:
    results: list[Result] = [("error", RuntimeError("not run"))] * len(factories)
    sem = asyncio.Semaphore(limit)

    async def run(i: int, factory: Callable[[], Awaitable[Any]]) -> None:
        async with sem:
            try:
                async with asyncio.timeout(timeout):
                    results[i] = ("ok", await factory())
            except Exception as e:  # not CancelledError: a BaseException, it must propagate
                results[i] = ("error", e)

    async with asyncio.TaskGroup() as tg:
        for i, factory in enumerate(factories):
            tg.create_task(run(i, factory))
    return results
