"""Working a case: who acts, what each action decides, and the service that persists it."""
