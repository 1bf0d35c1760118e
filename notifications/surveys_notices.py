"""Notices of the surveys app's signals (connected in NotificationsConfig.ready)."""


def connect() -> None:
    """Connect this module's receivers to the surveys app's signals."""
