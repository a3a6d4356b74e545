"""Follow-up: visit schedules from versioned templates, and which visits are due or overdue."""
