#!/usr/bin/env python3
"""Peer for `fathom bench http`: the aiohttp + semaphore client pattern of lm-evaluation-harness's API models,
sending the same chat request bodies to the same no-op server (`fathom bench serve --port P`).

    fathom export ruler.niah_single_2 --lengths 4k --samples 1 > /tmp/s4k.jsonl
    python3 scripts/bench/http_peer.py --url http://127.0.0.1:P --sample /tmp/s4k.jsonl --requests 400 --concurrency 8

Prints requests/s and client CPU ms per request (user + system time of this process).
"""
import argparse
import asyncio
import json
import resource
import time

import aiohttp


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main(args):
    with open(args.sample) as f:
        sample = json.loads(f.readline())
    messages = [dict(m) for m in sample["messages"]]
    messages[-1]["content"] += sample["answer_prefix"]
    body = {"model": "bench", "messages": messages, "temperature": 0, "top_p": 1, "seed": 1,
            "max_tokens": sample["max_tokens"]}
    semaphore = asyncio.Semaphore(args.concurrency)
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def one():
            async with semaphore:
                async with session.post(args.url + "/v1/chat/completions", json=body) as response:
                    data = await response.json()
                    return data["choices"][0]["message"]["content"]
        await one()  # warm-up
        cpu = cpu_seconds()
        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(args.requests)))
        seconds = time.perf_counter() - start
        cpu = cpu_seconds() - cpu
    print(json.dumps({"client": f"aiohttp {aiohttp.__version__}", "prompt_bytes": len(sample["prompt_text"].encode()),
                      "requests": args.requests, "seconds": round(seconds, 3),
                      "requests_per_s": round(args.requests / seconds, 1),
                      "cpu_ms_per_request": round(cpu / args.requests * 1000, 2)}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--sample", required=True)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    asyncio.run(main(parser.parse_args()))
