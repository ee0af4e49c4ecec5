"""What people say outside a flow, and what flows ask the engine to look up."""
