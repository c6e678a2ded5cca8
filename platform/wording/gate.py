"""The gate in front of publishing in a site's admin, for the checks that may keep a page a draft (the
错敏词 check here, 倒签 in policies): whether a request sends a page out, the page as the editor sent
it, and turning the request into a save of a draft.
"""

from wagtail.models import PageSubscription

GOING_OUT = ("action-publish", "action-submit", "action-restart-workflow")


def going_out(request):
    """Does this admin request publish, submit for review, restart a review or approve?"""
    if request.method != "POST":
        return False
    if any(request.POST.get(key) for key in GOING_OUT):
        return True
    return bool(request.POST.get("action-workflow-action")) and request.POST.get(
        "workflow-action-name", "").startswith("approve")


def as_posted(request, instance, parent):
    """`instance` with the posted form applied (unsaved), or None if the form is invalid (Wagtail says why)."""
    form_class = type(instance).get_edit_handler().get_form_class()
    form = form_class(request.POST, request.FILES, instance=instance, parent_page=parent, for_user=request.user,
                      subscription=PageSubscription(page=instance if instance.pk else None, user=request.user))
    return form.save(commit=False) if form.is_valid() else None


def keep_draft(request):
    """The view then saves, as for 保存草稿: nothing the editor wrote is lost; its after-hook says why."""
    post = request.POST.copy()
    for key in (*GOING_OUT, "action-workflow-action"):
        post.pop(key, None)
    request.POST = post
