"""Notices of the lesson_study app's signals (connected in NotificationsConfig.ready)."""


def connect() -> None:
    """Connect this module's receivers to the lesson_study app's signals."""
