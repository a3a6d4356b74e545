"""Follow-up: visit schedules from versioned templates, which visits are due or overdue,
and hip surveillance (each hip's migration over time, its flags, the next hip x-ray)."""
