"""Notices of the events app's signals (connected in NotificationsConfig.ready)."""


def connect() -> None:
    """Connect this module's receivers to the events app's signals."""
