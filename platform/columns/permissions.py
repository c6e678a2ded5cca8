"""The skeleton's mandated columns (and the home page) cannot be deleted, moved or unpublished.

Wagtail asks `page.permissions_for_user(user)` before showing or performing
delete, move and unpublish; returning a tester that says no hides the actions in
the admin and refuses the views. Nobody inside a site is a superuser, so this
holds for every site account; only platform-level code (the lifecycle actions)
can restructure a site.
"""

from wagtail.models import PagePermissionTester


class MandatedPagePermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        return False

    def can_unpublish(self):
        return False

    def can_move(self):
        return False

    def can_move_to(self, destination):
        return False


class MandatedPageMixin:
    """For page types that may be mandated: `is_mandated` pages get the restrictive tester."""

    def permissions_for_user(self, user):
        if getattr(self, "is_mandated", False):
            return MandatedPagePermissionTester(user, self)
        return super().permissions_for_user(user)
