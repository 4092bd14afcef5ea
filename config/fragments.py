"""`{% fragment "name" %}…{% endfragment %}`: markup rendered once per process and language, then reused.

For the parts of a page that depend on nothing but the language and the settings — the footer with the reseller's
addresses, the header's brand — rendering them anew for every request was a good share of a small page's CPU time.
The tag renders its content the first time, keeps it per name and language, and writes the kept markup from then
on. Only wrap markup that reads no request, user or form value; `key` is the version of the data the markup does
read (the catalogue's, say): a different version renders anew, and None (unknown) renders without keeping.
Deploying new templates restarts the processes, which empties the store.
"""

from django import template
from django.dispatch import receiver
from django.test.signals import setting_changed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_STORE: dict[tuple[str, str], tuple[object, str]] = {}


class FragmentNode(template.Node):
    # A template that extends another looks for the parent's blocks on every render, walking its whole node tree;
    # a fragment holds no block (it would be kept with the first page's content), so the walk stops here.
    child_nodelists = ()

    def __init__(self, name, key, nodelist):
        self.name = name
        self.key = key
        self.nodelist = nodelist

    def render(self, context):
        version = self.key.resolve(context) if self.key else ""
        if version is None:  # the data's version is unknown right now: render, keep nothing
            return self.nodelist.render(context)
        slot = (self.name.resolve(context), get_language())
        kept = _STORE.get(slot)
        if kept is not None and kept[0] == version:
            return kept[1]
        html = mark_safe(self.nodelist.render(context))  # noqa: S308 - the template's own rendering, escaped by it
        _STORE[slot] = (version, html)  # one version per fragment and language: an older one is dropped
        return html


@register.tag
def fragment(parser, token):
    """{% fragment "name" %} or {% fragment "name" version %}"""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("{% fragment %} takes a name and an optional key")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name = parser.compile_filter(bits[1])
    key = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return FragmentNode(name, key, nodelist)


def clear() -> None:
    """Forget every kept fragment (a test that changes the settings a fragment shows does, through the signal)."""
    _STORE.clear()


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    clear()
