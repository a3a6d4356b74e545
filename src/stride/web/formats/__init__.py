"""Date formats where Django's own locale data leaves a gap (``FORMAT_MODULE_PATH``).

Django falls back, name by name, to its own locale module and then to the global (US)
defaults. Families and clinics in many countries read these pages, so English uses the
unambiguous day-month-name order, and Bulgarian and Arabic get the date-and-time formats
their Django modules lack (they would otherwise print "11/23/2026 7:49 a.m.").
"""
