"""Notices of the mentoring app's signals (connected in NotificationsConfig.ready)."""


def connect() -> None:
    """Connect this module's receivers to the mentoring app's signals."""
