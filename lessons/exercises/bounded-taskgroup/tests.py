# Hidden tests for bounded-taskgroup, run by Fanout's harness (src/core/lessons/code/harness.ts)
# against the learner's file, copied in as submission.py.
import asyncio

from fanout_harness import test
from submission import gather_limited


def tool(seconds, value):
    async def call():
        await asyncio.sleep(seconds)
        return value
    return lambda: call()


def statuses(results):
    return ", ".join(r[0] for r in results)


@test("returns one (\"ok\", value) or (\"error\", exception) per call, in the calls’ order")
async def _():
    boom = ValueError("lookup failed")

    async def fails():
        await asyncio.sleep(0.01)
        raise boom

    results = await gather_limited([tool(0.05, "a"), lambda: fails(), tool(0.01, "c")], limit=3, timeout=5)
    assert isinstance(results, list) and len(results) == 3, f"expected 3 results, got {results!r}"
    assert statuses(results) == "ok, error, ok", f"one result per call, in the calls' order (got {statuses(results)})"
    assert results[0][1] == "a" and results[2][1] == "c", f"values in the calls' order (got {results!r})"
    assert results[1][1] is boom, "a failed call keeps its exception"


@test("runs at most limit calls at once, and uses all of them")
async def _():
    in_flight = most = 0

    async def call():
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.03)
        in_flight -= 1
        return 1

    results = await gather_limited([lambda: call() for _ in range(9)], limit=3, timeout=5)
    assert len(results) == 9
    assert most <= 3, f"{most} calls ran at once with limit 3: wait for a slot before starting a call"
    assert most == 3, f"only {most} ran at once with limit 3 and 9 calls: keep 3 in flight"


@test("one failing call does not cancel the others")
async def _():
    async def fails():
        raise ConnectionError("refused")

    results = await gather_limited([lambda: fails(), tool(0.05, "slow but fine"), tool(0.02, "fine")], limit=3, timeout=5)
    assert statuses(results) == "error, ok, ok", f"got {statuses(results)}: catch each call's exception inside its task, or the TaskGroup cancels the rest"


@test("gives each call its own timeout, and a hung call frees its slot", timeout=3)
async def _():
    async def hangs():
        await asyncio.Event().wait()

    results = await gather_limited([lambda: hangs(), tool(0.01, "next")], limit=1, timeout=0.1)
    assert statuses(results) == "error, ok", f"got {statuses(results)}: the hung call must end at its timeout and the next one run"
    assert isinstance(results[0][1], TimeoutError), f"the hung call's error is a TimeoutError, got {results[0][1]!r}"
    # Six 0.1 s calls one at a time take 0.6 s; each is well within its own 0.4 s.
    results = await gather_limited([tool(0.1, i) for i in range(6)], limit=1, timeout=0.4)
    assert statuses(results) == ", ".join(["ok"] * 6), f"got {statuses(results)}: the timeout is per call, counted from when that call starts"


@test("cancelling gather_limited cancels every running call, and none outlives it", timeout=3)
async def _():
    started = cancelled = 0

    async def slow():
        nonlocal started, cancelled
        started += 1
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled += 1
            raise

    task = asyncio.create_task(gather_limited([lambda: slow() for _ in range(5)], limit=2, timeout=60))
    await asyncio.sleep(0.1)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    else:
        raise AssertionError("gather_limited returned after being cancelled: let CancelledError propagate")
    await asyncio.sleep(0)
    assert started == 2, f"{started} calls started with limit 2"
    assert cancelled == 2, f"{cancelled} of the 2 running calls were cancelled: run them in a TaskGroup so cancellation reaches them"
    left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert not left, f"{len(left)} task(s) still running after gather_limited was cancelled"
