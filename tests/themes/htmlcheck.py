"""A strict reading of the theme's HTML with the standard library: the mistakes a validator reports most.

The theme never omits optional end tags, so every element must be closed in order;
ids must be unique; a <p> holds no block element and no link holds another link.
"""

from collections import Counter
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_IN_P = {
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul",
}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.ids = Counter()
        self.problems = []

    def _where(self):
        line, column = self.getpos()
        return f"line {line}:{column}"

    def handle_starttag(self, tag, attrs):
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.problems.append(f"<{tag}> repeats an attribute at {self._where()}")
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1
        open_tags = [open_tag for open_tag, _ in self.stack]
        if tag in NOT_IN_P and open_tags and open_tags[-1] == "p":
            self.problems.append(f"<{tag}> inside <p> at {self._where()}")
        if tag == "a" and "a" in open_tags:
            self.problems.append(f"<a> inside <a> at {self._where()}")
        if tag not in VOID:
            self.stack.append((tag, self._where()))

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.problems.append(f"self-closed <{tag}/> at {self._where()}")
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"end tag of void <{tag}> at {self._where()}")
        elif not self.stack or self.stack[-1][0] != tag:
            expected = self.stack[-1][0] if self.stack else "nothing"
            self.problems.append(f"</{tag}> closes {expected} at {self._where()}")
        else:
            self.stack.pop()


def problems(html):
    """What is wrong with `html` (a document or a fragment); empty when nothing is."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    found = list(checker.problems)
    found += [f"<{tag}> opened at {where} is never closed" for tag, where in checker.stack]
    found += [f"id {value!r} used {count} times" for value, count in checker.ids.items() if count > 1]
    return found
