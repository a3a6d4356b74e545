"""Treatment episodes: what each kind needs before it may be stored (pure validation)."""
