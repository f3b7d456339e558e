"""Who may see or do what in the training app. Every view and menu item
asks here."""

from lms import permissions as people


def may_view_translation_status(user):
    """The translation status report is for instructors and administrators."""
    return user.is_authenticated and (people.is_administrator(user) or people.is_instructor(user))
