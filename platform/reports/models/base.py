"""What both kinds of annual report page share: one page per year under its parent, and the figures an
editor changed (a stored value that differs from what the platform last counted)."""

from django.core.exceptions import ValidationError


class YearlyReportMixin:
    duplicate_year_message = "已有 {year} 年度的报告"

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        siblings = type(self).objects.child_of(parent) if parent else type(self).objects.none()
        if siblings.filter(year=self.year).exclude(pk=self.pk).exists():
            raise ValidationError({"year": self.duplicate_year_message.format(year=self.year)})

    def edited_keys(self):
        """Computed figures whose value differs from what the platform counted: an editor changed them."""
        return sorted(
            key for key, value in (self.computed or {}).items() if key in self.figures and self.figures[key] != value
        )
