def axes_username(request, credentials=None) -> str:
    """The login name axes records: bounded, so an absurdly long one cannot break the lock table."""
    source = credentials if credentials is not None else request.POST
    return str((source or {}).get("username", ""))[:150]
