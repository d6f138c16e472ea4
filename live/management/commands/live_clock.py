import asyncio
import contextlib

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the clock of live games in a process of its own: questions close and games advance on "
        "time even when no worker holds a socket of them. Any number may run with the web workers; "
        "each transition still happens once. Needs REDIS_URL to reach the workers' sockets."
    )

    def handle(self, *args, **options):
        from live.clock import clock

        async def main():
            clock.start()
            self.stdout.write("live clock running (Ctrl+C to stop)")
            await asyncio.Event().wait()

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(main())
