"""seed_demo makes accounts with a published password, a superuser among them: with DEBUG off
it refuses unless told explicitly that this is a demo server."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_seed_demo_refuses_with_debug_off():
    with pytest.raises(CommandError, match="--allow-demo-passwords"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()
