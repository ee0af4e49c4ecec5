"""Case rules shared by flows, handlers and the scheduler: one source of truth."""
