"""The word list as a CSV file: what the province imports and exports in the console.

Columns 词语,类别,正确写法,说明 (or term,kind,correct,note); 类别 is 严重 or 疑似. UTF-8 (with or
without BOM) or GBK/GB18030. A file is taken whole or not at all: every problem is reported with
its line, so the province fixes the file once instead of line by line.
"""

import csv
import io
from dataclasses import dataclass

from tenants.regions import RegionFileError, decode

from .models import Kind, Term
from .normalise import normalise_term

HEADER = ["词语", "类别", "正确写法", "说明"]
ALIASES = {"term": "词语", "kind": "类别", "correct": "正确写法", "note": "说明"}
KIND_NAMES = {"严重": Kind.SERIOUS, "严重错误": Kind.SERIOUS, "serious": Kind.SERIOUS,
              "疑似": Kind.SUSPECT, "疑似错误": Kind.SUSPECT, "suspect": Kind.SUSPECT}
MAX_ROWS = 50_000


class ListError(ValueError):
    """The list cannot be taken; `problems` are the lines to fix, in Chinese."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("；".join(problems[:20]) + (f"……共 {len(problems)} 处问题" if len(problems) > 20 else ""))


@dataclass(frozen=True)
class Row:
    line: int
    text: str
    kind: str
    correct: str
    note: str

    @property
    def normalised(self):
        return normalise_term(self.text)


def check_term(text, kind, correct):
    """The problems of one term ([] when it is fine), as add and import both check them."""
    problems = []
    if not text:
        problems.append("词语为空")
    elif len(text) > Term._meta.get_field("text").max_length:
        problems.append("词语超过 100 个字符")
    elif not normalise_term(text):
        problems.append(f"词语“{text}”只有标点或空格")
    if kind not in Kind.values:
        problems.append("类别应为“严重”或“疑似”")
    if kind == Kind.SERIOUS and not correct:
        problems.append("严重错误须写明正确写法")
    if len(correct) > Term._meta.get_field("correct").max_length:
        problems.append("正确写法超过 200 个字符")
    return problems


def parse_terms(data):
    """[Row] of a CSV file's bytes, or ListError naming every bad line."""
    try:
        text = decode(data)
    except RegionFileError as exc:
        raise ListError([str(exc)]) from None
    reader = csv.reader(io.StringIO(text))
    header = [ALIASES.get(h.strip().lower(), h.strip()) for h in next(reader, [])]
    if header[:len(HEADER)] != HEADER[:len(header)] or header[:2] != HEADER[:2]:
        raise ListError([f"第一行应为 {','.join(HEADER)}；实际为：{','.join(header) or '（空）'}"])
    rows, problems, seen = [], [], {}
    for line, record in enumerate(reader, start=2):
        cells = [cell.strip() for cell in record] + [""] * len(HEADER)
        if not any(cells):
            continue
        text, kind_name, correct, note = cells[:4]
        kind = KIND_NAMES.get(kind_name.lower(), kind_name)
        row_problems = check_term(text, kind, correct)
        row = Row(line, text, kind, correct, note[:200])
        if not row_problems and row.normalised in seen:
            row_problems.append(f"与第 {seen[row.normalised]} 行重复（规范化后均为“{row.normalised}”）")
        if row_problems:
            problems += [f"第 {line} 行：{p}" for p in row_problems]
            continue
        seen[row.normalised] = line
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise ListError([f"词语超过 {MAX_ROWS} 条，请分文件导入"])
    if problems:
        raise ListError(problems)
    if not rows:
        raise ListError(["文件中没有词语"])
    return rows


def export_terms(terms):
    """The list as CSV text (with a BOM, so a spreadsheet opens the Chinese right)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    names = {Kind.SERIOUS: "严重", Kind.SUSPECT: "疑似"}
    for term in terms:
        writer.writerow([_safe(term.text), names[term.kind], _safe(term.correct), _safe(term.note)])
    return out.getvalue()


def _safe(cell):
    """A cell a spreadsheet will not run as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
