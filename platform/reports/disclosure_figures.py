"""The figures of the 政府信息公开工作年度报告, and how the platform counts them.

The tables follow the national format of 2021 (国办公开办函〔2021〕30号), one key per cell:
- 二、主动公开: 规章 and 行政规范性文件 issued, repealed and in force (`doc_*`, counted from the
  policy documents' 文件类别, 发布日期 and 有效性); 行政许可, 行政处罚, 行政强制 decisions and
  行政事业性收费 (entered by the office: the platform does not hold them);
- 三、申请情况: one cell per row and applicant column (`app_<row>_<column>`), counted from the
  applications: new in the year (by the day received, a date in Beijing time), carried over
  from earlier years, answered in the year by result and reason, carried over to next year;
- 四、行政复议、行政诉讼: one cell per group and outcome (`rem_<group>_<outcome>`), from
  disclosure.RemedyCase (a case in each year it was open, its outcome at that year's end).
Totals are never stored: they are added up when shown, so an edited cell keeps them right.

`compute(year, site)` runs in the site's schema, like reports.figures.compute.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q

from disclosure.choices import REASONS, ApplicantKind, Result
from disclosure.models import Application, RemedyCase
from disclosure.models.remedies import Outcome, RemedyKind
from policies.choices import DocumentKind, Validity
from policies.models import PolicyDocumentPage
from tenants.models import require_schema

from .figures import COUNT, DECIMAL, counted, entered

# The first year of the 2021 format's reports.
FIRST_YEAR = 2021

# --- 二、主动公开政府信息情况 ------------------------------------------------------------------

DOCUMENT_KINDS = [(DocumentKind.RULE, "规章"), (DocumentKind.NORMATIVE, "行政规范性文件")]
DOCUMENT_MEASURES = [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")]
# (key, 信息内容, the article of the 条例 that makes it public)
DECISIONS = [
    ("licensing", "行政许可", "第二十条第（五）项"),
    ("penalty", "行政处罚", "第二十条第（六）项"),
    ("enforcement", "行政强制", "第二十条第（六）项"),
]
FEES_KEY = "fees"


def doc_key(kind, measure):
    return f"doc_{kind}_{measure}"


# --- 三、收到和处理政府信息公开申请情况 -----------------------------------------------------------

APPLICANT_COLUMNS = [(kind.value, kind.label) for kind in ApplicantKind]  # 自然人, then the 5 organisation kinds
CHINESE_ORDINALS = "一二三四五六七八九"


def _result_rows():
    """(key, label, level) of the 办理结果 rows, with a heading row (key None) over each result with reasons."""
    rows = []
    for number, result in enumerate(Result, 1):
        label = f"（{CHINESE_ORDINALS[number - 1]}）{result.label}"
        if result == Result.PARTLY:
            label += "（区分处理的，只计这一情形，不计其他情形）"
        if result in (Result.DISCLOSED, Result.PARTLY):
            rows.append((result.value, label, 2))
            continue
        rows.append((None, label, 2))
        rows.extend((f"{result.value}_{code}", f"{n}.{text}", 3) for n, (code, text) in enumerate(REASONS[result], 1))
    return rows


RESULT_ROWS = _result_rows()
RESULT_KEYS = [key for key, _label, _level in RESULT_ROWS if key]
RESULTS_TOTAL_LABEL = f"（{CHINESE_ORDINALS[len(Result)]}）总计"
APPLICATION_ROWS = [
    ("new", "一、本年新收政府信息公开申请数量", 1),
    ("carried_in", "二、上年结转政府信息公开申请数量", 1),
    (None, "三、本年度办理结果", 1),
    *RESULT_ROWS,
    ("carried_out", "四、结转下年度继续办理", 1),
]


def app_key(row, column):
    return f"app_{row}_{column}"


def result_row(result, reason):
    """The row an answer is counted in; a reason the list does not know counts as 其他处理 - 其他."""
    if result in (Result.DISCLOSED, Result.PARTLY):
        return result
    key = f"{result}_{reason}"
    return key if key in RESULT_KEYS else "other_other"


# --- 四、政府信息公开行政复议、行政诉讼情况 ------------------------------------------------------

REMEDY_GROUPS = [
    (RemedyKind.REVIEW, "行政复议"),
    (RemedyKind.LITIGATION, "行政诉讼：未经复议直接起诉"),
    (RemedyKind.LITIGATION_AFTER_REVIEW, "行政诉讼：复议后起诉"),
]
OUTCOMES = [(Outcome.UPHELD, "结果维持"), (Outcome.CORRECTED, "结果纠正"), (Outcome.OTHER, "其他结果"),
            (Outcome.PENDING, "尚未审结")]


def rem_key(group, outcome):
    return f"rem_{group}_{outcome}"


# --- the figures, as the form and the regenerating see them -------------------------------------

def _figures():
    figures = []
    for kind, kind_label in DOCUMENT_KINDS:
        for measure, measure_label in DOCUMENT_MEASURES:
            figures.append(counted(doc_key(kind, measure), f"{kind_label}{measure_label}", COUNT, "件",
                                   f"文件类别为“{kind_label}”的在线政策文件，按发布日期和有效性统计"))
    figures.extend(entered(key, f"{label}本年处理决定数量", COUNT, "件") for key, label, _ in DECISIONS)
    figures.append(entered(FEES_KEY, "行政事业性收费本年收费金额", DECIMAL, "万元"))
    for row, row_label, _level in APPLICATION_ROWS:
        if row is None:
            continue
        for column, column_label in APPLICANT_COLUMNS:
            figures.append(counted(app_key(row, column), f"{row_label}（{column_label}）", COUNT, "件",
                                   "根据本站依申请公开的申请记录统计"))
    for group, group_label in REMEDY_GROUPS:
        for outcome, outcome_label in OUTCOMES:
            figures.append(counted(rem_key(group, outcome), f"{group_label}（{outcome_label}）", COUNT, "件",
                                   "根据申请记录中登记的行政复议、行政诉讼统计"))
    return {figure.key: figure for figure in figures}


FIGURES = _figures()
COMPUTED_KEYS = tuple(key for key, figure in FIGURES.items() if figure.computed)


def compute(year, site):
    """{key: count} of every counted cell for `year`, in the current site schema."""
    require_schema(site)
    figures = dict.fromkeys(COMPUTED_KEYS, 0)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    figures.update(_documents(first, last))
    figures.update(_applications(first, last))
    for case in RemedyCase.objects.in_report_of(year):
        figures[rem_key(case.kind, case.outcome_at_end_of(year))] += 1
    return figures


def _documents(first, last):
    documents = PolicyDocumentPage.objects.live()
    counts = {}
    for kind, _label in DOCUMENT_KINDS:
        of_kind = Q(document_kind=kind)
        counts.update(documents.aggregate(**{
            doc_key(kind, "issued"): Count("pk", filter=of_kind & Q(published_date__range=(first, last))),
            doc_key(kind, "repealed"): Count("pk", filter=of_kind & Q(
                validity=Validity.REPEALED, validity_changed_date__range=(first, last))),
            # In force on 31 December: published by then, and not amended or repealed by then.
            doc_key(kind, "in_force"): Count("pk", filter=of_kind & Q(published_date__lte=last) & (
                Q(validity=Validity.IN_FORCE) | Q(validity_changed_date__gt=last))),
        }))
    return counts


def _by(queryset, *fields):
    """(*values, count) for each combination of `fields` in `queryset`: one GROUP BY query."""
    return queryset.order_by().values_list(*fields).annotate(n=Count("pk")).values_list(*fields, "n")


def _applications(first, last):
    counts = {}
    received = Application.objects.filter(received_on__lte=last)
    open_at_start = Q(received_on__lt=first) & (Q(answered_on__isnull=True) | Q(answered_on__gte=first))
    groups = {
        "new": received.filter(received_on__gte=first),
        "carried_in": received.filter(open_at_start),
        "carried_out": received.filter(Q(answered_on__isnull=True) | Q(answered_on__gt=last)),
    }
    for row, queryset in groups.items():
        for kind, n in _by(queryset, "applicant_kind"):
            counts[app_key(row, kind)] = n
    for kind, result, reason, n in _by(received.filter(answered_on__range=(first, last)),
                                       "applicant_kind", "result", "reason"):
        key = app_key(result_row(result, reason), kind)
        counts[key] = counts.get(key, 0) + n
    return counts


# --- reading the tables back, with their totals -------------------------------------------------

def number(value):
    """A cell as a number (an unfilled one is 0), for adding up."""
    if value in (None, ""):
        return 0
    return Decimal(str(value)) if isinstance(value, float) else value


def application_table(figures):
    """[(label, level, [cells per applicant column] + [row total]) ...] including the 总计 row; a heading
    row has no cells."""
    table, totals = [], [0] * len(APPLICANT_COLUMNS)
    for row, label, level in APPLICATION_ROWS:
        if row is None:
            table.append((label, level, None))
            continue
        cells = [number(figures.get(app_key(row, column))) for column, _ in APPLICANT_COLUMNS]
        table.append((label, level, [*cells, sum(cells)]))
        if row in RESULT_KEYS:
            totals = [a + b for a, b in zip(totals, cells, strict=True)]
        if row == RESULT_KEYS[-1]:
            table.append((RESULTS_TOTAL_LABEL, 2, [*totals, sum(totals)]))
    return table


def unbalanced(figures):
    """The applicant columns whose figures do not add up: new + carried over from last year must equal
    the results' total + carried over to next year."""
    wrong = []
    for column, label in APPLICANT_COLUMNS:
        def cell(row, column=column):
            return number(figures.get(app_key(row, column)))
        came = cell("new") + cell("carried_in")
        went = sum(cell(row) for row in RESULT_KEYS) + cell("carried_out")
        if came != went:
            wrong.append(f"{label}（新收与上年结转 {came} 件，办理结果与结转下年 {went} 件）")
    return wrong


def remedy_table(figures):
    """[cells of the 复议 group + total, 诉讼 without review + total, 诉讼 after review + total]."""
    row = []
    for group, _label in REMEDY_GROUPS:
        cells = [number(figures.get(rem_key(group, outcome))) for outcome, _ in OUTCOMES]
        row.extend([*cells, sum(cells)])
    return row


def totals(figures):
    """The handful of sums the 总体情况 quotes."""
    def column_sum(row):
        return sum(number(figures.get(app_key(row, column))) for column, _ in APPLICANT_COLUMNS)

    def group_sum(group):
        return sum(number(figures.get(rem_key(group, outcome))) for outcome, _ in OUTCOMES)

    return {
        "rules": number(figures.get(doc_key(DocumentKind.RULE, "issued"))),
        "normative": number(figures.get(doc_key(DocumentKind.NORMATIVE, "issued"))),
        "new": column_sum("new"), "carried_in": column_sum("carried_in"),
        "answered": sum(column_sum(row) for row in RESULT_KEYS), "carried_out": column_sum("carried_out"),
        "reviews": group_sum(RemedyKind.REVIEW),
        "lawsuits": group_sum(RemedyKind.LITIGATION) + group_sum(RemedyKind.LITIGATION_AFTER_REVIEW),
    }


def overview(year, figures):
    """The draft 总体情况: the report's basis and period, and its main figures (rich text)."""
    t = totals(figures)
    return (
        "<p>本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        "（国办公开办函〔2021〕30号）编制。报告中所列数据的统计期限自"
        f"{year}年1月1日起至{year}年12月31日止。</p>"
        f"<p>{year}年，本机关主动公开规章{t['rules']}件、行政规范性文件{t['normative']}件；"
        f"新收政府信息公开申请{t['new']}件，上年结转{t['carried_in']}件，本年度办结{t['answered']}件，"
        f"结转下年度继续办理{t['carried_out']}件；因政府信息公开被申请行政复议{t['reviews']}件，"
        f"被提起行政诉讼{t['lawsuits']}件。</p>"
    )
