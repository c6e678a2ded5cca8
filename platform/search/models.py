"""The per-site search index: one row per public item of this site (in the site's schema)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Kind(models.TextChoices):
    ARTICLE = "article", "文章"
    POLICY = "policy", "政策文件"
    INTERPRETATION = "interpretation", "政策解读"
    SERVICE = "service", "办事指南"
    CONSULTATION = "consultation", "征集调查"
    REPLY = "reply", "留言答复"
    # A copy of an item a site above distributed (syndication): found on the site that shows it;
    # the province-wide and subtree searches find the original (no library row for copies).
    REPRINT = "reprint", "上级信息"
    PAGE = "page", "其他"


class SearchEntry(models.Model):
    # "page:<id>" or "message:<id>": what the entry stands for, unique in the site.
    key = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    url = models.CharField(max_length=500, help_text="path on the site's own host")
    column_id = models.IntegerField(null=True, db_index=True)
    column_title = models.CharField(max_length=255, blank=True)
    published_at = models.DateTimeField(null=True, db_index=True)
    # Normalised plain text, for exact-phrase bonus and highlighted snippets.
    title_text = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    # Segmented tokens, space-separated: title weighted A, body B.
    search_vector = SearchVectorField(null=True)

    class Meta:
        indexes = [GinIndex(fields=["search_vector"], name="sitesearch_vector_gin")]

    def __str__(self):
        return f"{self.key} {self.title}"
