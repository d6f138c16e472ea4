"""Demo data for browser tests, seeded where the ORM may write."""

import io
import threading

from django.db import connections

from core.demo import DEMO_ACCOUNTS, ensure_demo_user
from schools import demo


def seed_schools() -> None:
    """The demo accounts and schools, in a thread of its own: the browser's event loop in the
    test's thread refuses ORM writes."""

    def run():
        try:
            for account in DEMO_ACCOUNTS:
                ensure_demo_user(account)
            demo.seed(io.StringIO())
        finally:
            connections.close_all()

    seeder = threading.Thread(target=run)
    seeder.start()
    seeder.join()
