# A typical wrong solution: timeouts and isolation, but an unbounded gather starts every call at once.
import asyncio


async def gather_limited(factories, limit, timeout):
    async def run(factory):
        try:
            async with asyncio.timeout(timeout):
                return ("ok", await factory())
        except Exception as e:
            return ("error", e)
    return list(await asyncio.gather(*(run(f) for f in factories)))
