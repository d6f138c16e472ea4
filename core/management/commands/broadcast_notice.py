from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.management.base import BaseCommand, CommandError

from core.realtime.protocol import SITE_GROUP, Event

LEVELS = ("info", "warning")


class Command(BaseCommand):
    help = "Show a notice on every open page (needs REDIS_URL to reach other processes)."

    def add_arguments(self, parser):
        parser.add_argument("text")
        parser.add_argument("--level", choices=LEVELS, default="info")

    def handle(self, *args, text, level, **options):
        text = text.strip()
        if not text or len(text) > 500:
            raise CommandError("The notice must be 1-500 characters.")
        layer = get_channel_layer()
        async_to_sync(layer.group_send)(SITE_GROUP, {"type": Event.SITE_NOTICE, "level": level, "text": text})
        if getattr(layer, "redis_ok", True) is False:  # the layer drops what it cannot send
            raise CommandError("Redis is unavailable: the notice was not sent.")
        self.stdout.write(self.style.SUCCESS("Notice sent."))
