# A typical wrong solution: bounded, timed and isolated, but bare create_task and sequential
# awaits instead of a TaskGroup: cancelling the gather cancels only the task it is awaiting, and
# the others keep running after it returned.
import asyncio


async def gather_limited(factories, limit, timeout):
    sem = asyncio.Semaphore(limit)

    async def run(factory):
        async with sem:
            try:
                async with asyncio.timeout(timeout):
                    return ("ok", await factory())
            except Exception as e:
                return ("error", e)

    tasks = [asyncio.create_task(run(f)) for f in factories]
    return [await t for t in tasks]
