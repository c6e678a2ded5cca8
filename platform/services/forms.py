"""Admin form of the service guide: what is missing, named, when publishing."""

from django import forms
from django.utils.html import strip_tags
from wagtail.admin.forms import WagtailAdminPageForm


def has_content(html):
    """Rich text with words or an embedded image or file; `<p data-block-key="x"></p>` has neither."""
    return bool(html) and (bool(strip_tags(html).strip()) or "<embed" in html)


class RichTextElementFormField(forms.CharField):
    """An editor left empty may still post an empty paragraph: that counts as no value."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if has_content(value) else self.empty_value


def missing_elements_message(labels):
    return f"办事指南要素不全，不能发布。缺少：{'、'.join(labels)}。请补全后再发布，或先保存草稿。"


class ServiceGuideForm(WagtailAdminPageForm):
    """Says, in one message at the top, which required elements a publish is missing.

    Wagtail defers the required check of text fields when saving a draft
    (`is_deferred_validation`), so drafts save whatever is missing; on publish each
    empty element gets the model's own message and the form adds a summary.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_meta = self._meta.model._meta
        for name in self.element_names():
            self.fields[name].error_messages["required"] = model_meta.get_field(name).error_messages["blank"]

    def element_names(self):
        return [name for name in self._meta.model.REQUIRED_ELEMENTS if name in self.fields]

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_deferred_validation:
            missing = [self.fields[name].label for name in self.element_names() if self.has_error(name, "required")]
            if missing:
                self.add_error(None, missing_elements_message(missing))
        return cleaned_data
