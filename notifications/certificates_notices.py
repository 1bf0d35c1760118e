"""Notices of the certificates app's signals (connected in NotificationsConfig.ready)."""


def connect() -> None:
    """Connect this module's receivers to the certificates app's signals."""
