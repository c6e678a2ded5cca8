"""Bulk publishing checks what it would publish, as the edit form does.

Wagtail's bulk "publish" skips the edit form and publishes each page's latest
revision; a revision missing what publishing requires (a service guide's
elements, an interpretation's policy) then fails in Page.save() with a server
error halfway through. This checks every page it would publish first and, if
any is incomplete, publishes none and says which and why. It covers every page
type, not only service guides: the failure mode is the same for all of them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from wagtail import hooks


def pages_to_publish(objects, include_descendants):
    for page in objects:
        yield page
        if include_descendants:
            yield from page.get_descendants().not_live()


def publishing_problem(page):
    """Why the page's latest revision cannot go live, or None."""
    revision = page.get_latest_revision()
    candidate = revision.as_object() if revision else page.specific
    try:
        candidate.full_clean()
    except ValidationError as error:
        return f"“{candidate.title}”：{'；'.join(error.messages)}"
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_incomplete_pages(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    include_descendants = action_class_instance.cleaned_form.cleaned_data.get("include_descendants", False)
    problems = [
        problem for page in pages_to_publish(objects, include_descendants) if (problem := publishing_problem(page))
    ]
    if not problems:
        return None
    messages.error(request, "未发布任何页面，以下页面内容不完整：" + " ".join(problems))
    return redirect(action_class_instance.next_url)
