"""Import pipeline (filled in below)."""


def import_preview(**kwargs):
    raise NotImplementedError


def import_confirm(**kwargs):
    raise NotImplementedError


def import_cancel(**kwargs):
    raise NotImplementedError
