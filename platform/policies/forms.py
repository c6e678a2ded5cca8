"""Admin forms of the policy page types."""

from wagtail.admin.forms import WagtailAdminPageForm


class PolicyInterpretationForm(WagtailAdminPageForm):
    """Publishing an interpretation without its policy says why, not just "required".

    The form's own required message is generic; the model's blank message names
    what is missing, so the form reuses it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "policy" in self.fields:
            message = self._meta.model._meta.get_field("policy").error_messages["blank"]
            self.fields["policy"].error_messages["required"] = message
