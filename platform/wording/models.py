"""The province's word lists (public schema): terms with their kind and correct form, and leaders.

Kept by the province in the console (wording.actions, audited); every site is checked against the
same lists and no site can change them. A term is stored as typed and in its normalised form
(wording.normalise), which is unique: 中华人民共合国 and 中華人民共合國 are one term.
"""

from django.db import models

from .normalise import normalise_term


class Kind(models.TextChoices):
    SERIOUS = "serious", "严重错误"
    SUSPECT = "suspect", "疑似错误"


class Term(models.Model):
    text = models.CharField("词语", max_length=100)
    normalised = models.CharField("规范化形式", max_length=100, unique=True, editable=False)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    correct = models.CharField("正确写法", max_length=200, blank=True, help_text="严重错误必须填写")
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.CharField("更新人", max_length=150, blank=True)

    class Meta:
        verbose_name = "错敏词"
        verbose_name_plural = "错敏词"
        ordering = ["kind", "text"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.normalised = normalise_term(self.text)
        super().save(*args, **kwargs)


class Leader(models.Model):
    """A leader of the province as publications must name them: name, title, and rank in a list of leaders."""

    name = models.CharField("姓名", max_length=20)
    title = models.CharField("职务", max_length=50)
    rank = models.PositiveSmallIntegerField("排序", help_text="同时出现时的先后顺序，数字小的在前")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.CharField("更新人", max_length=150, blank=True)

    class Meta:
        verbose_name = "领导姓名职务"
        verbose_name_plural = "领导姓名职务"
        ordering = ["rank", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "title"], name="wording_leader_name_title")]

    def __str__(self):
        return f"{self.title}{self.name}"
