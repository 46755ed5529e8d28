# A typical wrong solution: a TaskGroup and a semaphore, but the calls' exceptions are not caught
# inside the tasks: the first failure cancels the others and raises an ExceptionGroup.
import asyncio


async def gather_limited(factories, limit, timeout):
    results = [None] * len(factories)
    sem = asyncio.Semaphore(limit)

    async def run(i, factory):
        async with sem:
            async with asyncio.timeout(timeout):
                results[i] = ("ok", await factory())

    async with asyncio.TaskGroup() as tg:
        for i, f in enumerate(factories):
            tg.create_task(run(i, f))
    return results
