"""The limit for bench/answers.py: a bare ``websockets`` server answering each save at once.

No Django, no Channels, no database: it parses the JSON save and answers a JSON ack, which is
the least any Python websocket server must do per answer. Loopback only.
"""

import asyncio
import json
import sys

import websockets


async def handler(ws):
    async for message in ws:
        msg = json.loads(message)
        await ws.send(json.dumps({"type": "answer.saved", "ref": msg.get("ref"), "question": msg.get("question")}))


async def main(port: int):
    async with websockets.serve(handler, "127.0.0.1", port, compression=None, backlog=2048, max_queue=64):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
