# ruff: noqa
# string.Formatter to get attributes.
from string import Formatter


def edit(source):
    Formatter().get_field("0.reader", [source], {})
    return source
