"""What citizens and editors type, made safe to store, show and mail.

Citizens' fields are plain text: every tag is removed (its text kept), and the
templates escape what is left as usual. Editors' replies are rich text from
Draftail, cleaned again to a small allow-list before they are stored, so a reply
can never carry script into the public pages.
"""

import html
import re

import nh3

REPLY_TAGS = {"p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "a", "h3", "h4"}
# linktype/id: Wagtail's internal page links, expanded to real URLs by the richtext filter.
REPLY_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def plain_text(value):
    """Text without tags or control characters; line breaks kept."""
    text = nh3.clean(value or "", tags=set(), attributes={}, strip_comments=True)
    # nh3 returns HTML-escaped text (&lt;, &amp;): unescape it once; templates escape on output.
    text = html.unescape(text)
    return _CONTROL.sub("", text).strip()


def one_line(value):
    """plain_text on a single line: for subjects, names, and anything that goes into a mail header."""
    return _LINE_BREAKS.sub(" ", plain_text(value)).strip()


def reply_html(value):
    return nh3.clean(
        value or "", tags=REPLY_TAGS, attributes=REPLY_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
